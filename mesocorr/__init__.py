"""mesocorr: diagrammatic quantum corrections of mesoscopic transport.

The public API is re-exported here lazily (importing :mod:`mesocorr` stays cheap; SymPy and
SciPy load on first use). Conventions (units, spin counting, rates vs times, characteristic
fields): ``docs/conventions.md``.

Subpackages: :mod:`mesocorr.symbolic` (SymPy), :mod:`mesocorr.diagrams` (impurity-averaged
diagrams), :mod:`mesocorr.integrals` (numbers), :mod:`mesocorr.derivations` (derivation catalogue).
"""

from __future__ import annotations

import importlib

from mesocorr._version import __version__

# public name -> module that defines it (one place; later issues add a line here)
_API = {
    # length scales and regimes (issue: Foundation)
    "scales": "mesocorr.lengths",
    "Scales": "mesocorr.lengths",
    "nyquist_dephasing_rate": "mesocorr.dephasing",
    # Diffuson / Cooperon spin channels
    "channels": "mesocorr.symbolic.channels",
    "diffusion_pole": "mesocorr.symbolic.propagators",
    "cooperon_pole": "mesocorr.symbolic.propagators",
    # weak localization / magnetoconductance
    "magnetoconductance": "mesocorr.wl",
    "wl_correction": "mesocorr.wl",
    "wire_wl_conductance": "mesocorr.wl",
    "sample_wl_conductance": "mesocorr.wl",
    "cooperon_channel_table": "mesocorr.wl",
    # 2D electron gases with Rashba/Dresselhaus spin precession (ILP, issue 15)
    "ilp_magnetoconductance": "mesocorr.ilp",
    "ilp_fields": "mesocorr.ilp",
    "ilp_couplings": "mesocorr.ilp",
    "fit_ilp": "mesocorr.ilp_fit",
    # universal conductance fluctuations
    "ucf_variance": "mesocorr.ucf",
    "ucf_correlation": "mesocorr.ucf",
    "ucf_channels": "mesocorr.ucf",
    "ucf_correlation_energy": "mesocorr.ucf",
    "ucf_correlation_flux": "mesocorr.ucf",
    # Landauer-Büttiker scattering formalism and random-matrix transport (issue 6)
    "check_s_matrix": "mesocorr.landauer",
    "transmission_eigenvalues": "mesocorr.landauer",
    "landauer_conductance": "mesocorr.landauer",
    "sharvin_resistance": "mesocorr.landauer",
    "fano_factor": "mesocorr.landauer",
    "transmission_matrix": "mesocorr.multiterminal",
    "conductance_matrix": "mesocorr.multiterminal",
    "terminal_voltages": "mesocorr.multiterminal",
    "four_terminal_resistance": "mesocorr.multiterminal",
    "onsager_check": "mesocorr.multiterminal",
    "four_terminal_resistance_symbolic": "mesocorr.symbolic.landauer",
    "circular_ensemble": "mesocorr.rmt",
    "cavity_transmission_moments": "mesocorr.rmt",
    "cavity_large_N_limits": "mesocorr.rmt",
    "sample_cavity_transmission": "mesocorr.rmt",
    # scaling theory
    "beta_function": "mesocorr.scaling",
    "flow": "mesocorr.scaling",
    "beta_series": "mesocorr.scaling",
    "beta_series_text": "mesocorr.scaling",
    "one_loop_flow": "mesocorr.scaling",
    "leading_flow": "mesocorr.scaling",
    "localization_length": "mesocorr.scaling",
    "critical_point": "mesocorr.scaling",
    "nu_epsilon_expansion": "mesocorr.scaling",
    "perturbative_limit": "mesocorr.scaling",
    # figures (matplotlib optional, imported on first use) and the one LaTeX printer (issue 13)
    "plot_beta": "mesocorr.plots",
    "plot_flow": "mesocorr.plots",
    "plot_magnetoconductance": "mesocorr.plots",
    "plot_ucf_channels": "mesocorr.plots",
    "latex": "mesocorr.symbolic.printing",
    # validation toolkit: fits and ensemble checks
    "fit_magnetoconductance": "mesocorr.fitting",
    "validate_ucf": "mesocorr.ensembles",
    "validate_wl": "mesocorr.ensembles",
    "sweep": "mesocorr.ensembles",
    # dephasing probes: rings, cylinders and biased wires (issue 20)
    "aas_oscillation": "mesocorr.rings",
    "aas_harmonics": "mesocorr.rings",
    "ab_harmonics": "mesocorr.rings",
    "ring_channels": "mesocorr.rings",
    "fit_dephasing": "mesocorr.dephasing_fit",
    "wire_distribution": "mesocorr.distribution",
    "fit_distribution": "mesocorr.distribution_fit",
    "energy_relaxation_time": "mesocorr.distribution",
    "pure_dephasing_verdict": "mesocorr.distribution",
    "plot_distribution": "mesocorr.distribution",
    # electron-electron interaction corrections, dephasing laws, temperature analysis (issue 17)
    "interaction_correction": "mesocorr.interaction",
    "InteractionCorrection": "mesocorr.interaction",
    "fermi_liquid_parameters": "mesocorr.interaction",
    "f_tilde": "mesocorr.interaction",
    "zeeman_function": "mesocorr.interaction",
    "hall_correction": "mesocorr.interaction",
    "dephasing_rate": "mesocorr.dephasing",
    "nyquist_length": "mesocorr.dephasing",
    "aak_wire_correction": "mesocorr.dephasing",
    "fit_temperature_series": "mesocorr.temperature_analysis",
    # simulator-agnostic ensembles, Kwant adapter, predictions for the simulated strip (issue 19)
    "run_ensemble": "mesocorr.ensemble_runner",
    "sample_seed": "mesocorr.ensemble_runner",
    "Ensemble": "mesocorr.ensemble_runner",
    "disordered_strip": "mesocorr.kwant_systems",
    "kwant_sample": "mesocorr.kwant_systems",
    "strip_wl_shift": "mesocorr.strip_predictions",
    "strip_mean_free_path": "mesocorr.strip_predictions",
    # Dirac materials: graphene, topological-insulator surfaces and films (issue 16)
    "graphene": "mesocorr.dirac",
    "ti_surface": "mesocorr.dirac",
    "ti_film": "mesocorr.dirac",
    "dirac_channels": "mesocorr.dirac",
    "dirac_magnetoconductance": "mesocorr.dirac",
    "dirac_alpha": "mesocorr.dirac",
    "dirac_ucf_variance": "mesocorr.dirac",
    "dirac_wl_correction": "mesocorr.dirac",
    # warnings for physically inconsistent input
    "PhysicsWarning": "mesocorr.physics_warnings",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str):
    try:
        module = _API[name]
    except KeyError:
        raise AttributeError(f"module 'mesocorr' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_API))
