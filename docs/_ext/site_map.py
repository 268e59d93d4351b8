"""The one place that ties public names, derivations and conventions together (read by the site build and the tests).

Everything else on the site is generated: the API pages from ``mesocorr._API``, the derivation pages from
``mesocorr.derivations.catalogue``, the tests each page links to by scanning ``tests/``. What cannot be read off the
code is kept here, and ``tests/test_docs_site.py`` checks it against the code:

* :data:`DERIVATION_FUNCTIONS` -- for every derivation in the catalogue, the public names that compute or evaluate
  what it derives (every name must be in ``mesocorr._API``; every derivation must have an entry);
* :data:`MODULE_CONVENTIONS` / :data:`NAME_CONVENTIONS` -- the section of ``docs/conventions.md`` that holds the
  units and counting of each public name (by defining module, a name may override); the value is the start of the
  section's heading, so small edits of a heading do not break the link, and the build fails if none matches.

A new public name in an existing module needs nothing here; a new module needs one line in ``MODULE_CONVENTIONS``;
a new derivation needs one line in ``DERIVATION_FUNCTIONS``.
"""

from __future__ import annotations

import re

#: derivation name -> public names (``mesocorr._API``) that compute or evaluate it
DERIVATION_FUNCTIONS: dict[str, list[str]] = {
    "diffuson-ladder": ["diffusion_pole", "cooperon_pole"],
    "cooperon-spin": ["channels", "cooperon_channel_table", "ucf_channels"],
    "wl-2d": ["wl_correction"],
    "hln": ["magnetoconductance", "fit_magnetoconductance", "cooperon_channel_table"],
    "wire-mc": ["magnetoconductance", "wl_correction", "wire_wl_conductance", "sample_wl_conductance"],
    "kawabata": ["magnetoconductance", "wl_correction"],
    "ucf-wire": ["ucf_variance", "ucf_channels", "ucf_correlation", "validate_ucf"],
    "landauer-four-terminal": ["four_terminal_resistance", "four_terminal_resistance_symbolic", "terminal_voltages",
                               "conductance_matrix", "transmission_matrix", "onsager_check"],
    "scaling-one-loop": ["beta_function", "beta_series", "one_loop_flow", "leading_flow", "flow",
                         "localization_length", "plot_beta"],
    "zeeman": ["channels", "magnetoconductance", "ucf_variance", "ucf_correlation"],
    "aas-cylinder": ["aas_oscillation", "aas_harmonics", "ab_harmonics"],
    "double-step": ["wire_distribution", "energy_relaxation_time", "fit_distribution"],
    "ilp": ["ilp_magnetoconductance", "magnetoconductance", "ilp_fields", "ilp_couplings", "fit_ilp"],
    "interaction-2d": ["interaction_correction", "f_tilde", "fermi_liquid_parameters", "hall_correction"],
    "interaction-zeeman": ["interaction_correction", "zeeman_function"],
    "graphene": ["graphene", "dirac_channels", "dirac_magnetoconductance", "fit_magnetoconductance",
                 "dirac_ucf_variance", "dirac_wl_correction"],
    "ti-surface": ["ti_surface", "ti_film", "dirac_channels", "dirac_magnetoconductance", "dirac_alpha"],
}

#: defining module -> heading (prefix) of its section in docs/conventions.md
MODULE_CONVENTIONS: dict[str, str] = {
    "mesocorr.lengths": "Length scales",
    "mesocorr.dephasing": "Nyquist dephasing",
    "mesocorr.symbolic.channels": "Spin channels, Diffuson and Cooperon",
    "mesocorr.symbolic.propagators": "Diffusion pole",
    "mesocorr.wl": "Weak (anti)localization and magnetoconductance",
    "mesocorr.ucf": "Universal conductance fluctuations",
    "mesocorr.landauer": "Scattering matrices, multi-terminal transport",
    "mesocorr.multiterminal": "Scattering matrices, multi-terminal transport",
    "mesocorr.symbolic.landauer": "Scattering matrices, multi-terminal transport",
    "mesocorr.rmt": "Scattering matrices, multi-terminal transport",
    "mesocorr.scaling": "Scaling theory",
    "mesocorr.fitting": "Magnetoconductance fits",
    "mesocorr.ilp": "ILP characteristic fields",
    "mesocorr.ilp_fit": "ILP characteristic fields",
    "mesocorr.ensembles": "Ensemble validation",
    "mesocorr.physics_warnings": "Units and constants",
    "mesocorr.plots": "Figures",
    "mesocorr.symbolic.printing": "Writing a derivation",
    "mesocorr.rings": "Rings, cylinders and the distribution function",
    "mesocorr.dephasing_fit": "Rings, cylinders and the distribution function",
    "mesocorr.distribution": "Rings, cylinders and the distribution function",
    "mesocorr.distribution_fit": "Rings, cylinders and the distribution function",
    "mesocorr.interaction": "Interaction corrections",
    "mesocorr.temperature_analysis": "Temperature series fits",
    "mesocorr.ensemble_runner": "Ensembles and simulation validation",
    "mesocorr.kwant_systems": "Ensembles and simulation validation",
    "mesocorr.strip_predictions": "Ensembles and simulation validation",
    "mesocorr.dirac": "Dirac materials",
}

#: public name -> heading (prefix), where the name's module section is not the right one
NAME_CONVENTIONS: dict[str, str] = {
    "cooperon_channel_table": "Spin channels, Diffuson and Cooperon",
    "sweep": "Validation toolkit",
    "dephasing_rate": "Dephasing laws",
    "aak_wire_correction": "Dephasing laws",
}


def slug(text: str) -> str:
    """GitHub-style anchor of a heading (also MyST's ``myst_heading_slug_func`` in ``docs/conf.py``)."""
    text = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return text.replace(" ", "-")


def headings(markdown: str) -> list[str]:
    """The ATX headings (``#`` .. ``######``) of a Markdown text, outside fenced code blocks, as plain text."""
    out, fenced = [], False
    for line in markdown.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        m = None if fenced else re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
        if m:
            out.append(m.group(1))
    return out


def plain(heading: str) -> str:
    """A heading's text as rendered (Markdown code spans and emphasis marks removed)."""
    return re.sub(r"[`*]", "", heading)


def conventions_heading(name: str, module: str, markdown: str) -> str:
    """The heading of ``docs/conventions.md`` (text ``markdown``) for a public ``name`` defined in ``module``.

    Raises ``KeyError`` when no section is assigned and ``LookupError`` when the assigned prefix matches no heading
    or several.
    """
    prefix = NAME_CONVENTIONS.get(name) or MODULE_CONVENTIONS[module]
    found = [h for h in headings(markdown) if plain(h).startswith(prefix)]
    if len(found) != 1:
        raise LookupError(f"conventions section {prefix!r} for {name}: {len(found)} headings match in "
                          "docs/conventions.md")
    return found[0]
