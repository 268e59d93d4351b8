"""Derivation ``zeeman``: the Zeeman term in the Cooperon and Diffuson (Maekawa-Fukuyama), from the engine.

With parameters (``mesocorr derive cooperon-spin --so ... --mag ... --zeeman ...`` or ``derive zeeman ...``) the
same steps run for the user's rates and Zeeman vector (exact rationals; closed forms of every 2x2 block).
"""

from __future__ import annotations

import sympy as sp

from mesocorr.derivations.core import Derivation, check_symbolic
from mesocorr.diagrams.pair_kernel import spin_half_model, uniform_rung_coefficients
from mesocorr.symbolic.zeeman import singlet_zeeman_dephasing, zeeman_block

TITLE = "Zeeman splitting in the Cooperon and the Diffuson: which channels it touches (Maekawa-Fukuyama)"

_MF = "Maekawa & Fukuyama, J. Phys. Soc. Jpn. 50, 2516 (1981)"
_LSF = "Lee, Stone & Fukuyama, Phys. Rev. B 35, 1039 (1987), Sec. IV (Zeeman-split Diffusons)"


def _spectrum_steps(d: Derivation, model, label: str) -> None:
    for kind in ("cooperon", "diffuson"):
        H, W = model.in_channel_basis(kind)
        d.equation(f"{label}: {kind} gap operator $H = 1/\\tau_e - K + L$ in the channel basis (singlet, "
                   "triplet_x, triplet_y, triplet_z):", f"H_{{{kind[0].upper()}}}", sp.Matrix(H))
        try:
            chans = model.spectrum(kind).channels
        except ValueError:      # an exceptional point: a defective block has no eigenbasis, only its gaps
            for blk in model.blocks(kind):
                for gap, mult in sp.Matrix(blk.H).eigenvals().items():
                    note = " (exceptional point: a defective double gap, no eigenvectors; observables from the " \
                           "resolvent)" if mult > 1 and len(blk.names) > 1 else ""
                    d.equation(f"{kind} block {', '.join(blk.names).replace('_', ' ')}{note}:", r"\Gamma", gap)
            continue
        for c in chans:
            name = c.name.replace("_", " ")
            d.equation(f"{kind} channel {name} (mixes {', '.join(c.block).replace('_', ' ')}):",
                       rf"\Gamma_{{\mathrm{{{c.name.replace('_', '')}}}}}", c.gap)
            if kind == "cooperon":
                d.equation("its WL weight $w_c = \\mathrm{Tr}[W\\Pi_c]$:", "w", c.weight)


def build(so=None, mag=None, zeeman=None) -> Derivation:
    d = Derivation("zeeman", TITLE,
                   "A Zeeman term $(\\hbar/2)\\boldsymbol\\omega\\cdot\\boldsymbol\\sigma$ ($\\boldsymbol\\omega = "
                   "g\\mu_B\\mathbf B/\\hbar$) enters both Green's functions of a ladder. The rung integral with shifted "
                   "lines gives its pair-space form; in the Cooperon the advanced line enters as itself, in the "
                   "Diffuson transposed, so the two differ.")
    c_w, c_R, c_A, steps = uniform_rung_coefficients()
    for text, expr in steps:
        d.equation(text.replace("_", "\\_") + ":", "", expr)
    a, w, b = sp.symbols("a omega b", positive=True)
    model = spin_half_model((a, a, a), (b, b, b), zeeman=(0, 0, w))
    _spectrum_steps(d, model, "Isotropic spin-orbit $a_i = a$, magnetic $b_i = b$, Zeeman along z")
    (lo, hi), (wl, wh) = zeeman_block((a, a, a), (b, b, b), "z", w)
    gS, gT = 6 * b, 4 * a + 2 * b
    mean, delta = (gS + gT) / 2, (gT - gS) / 2
    root = sp.sqrt(delta**2 - w**2)
    d.check(check_symbolic("Cooperon: singlet and m = 0 triplet mix, gaps Gbar -+ sqrt(Delta^2 - omega^2)", _MF,
                           sp.Matrix([lo, hi]), sp.Matrix([mean - root, mean + root])))
    d.check(check_symbolic("Cooperon block weights -+ Delta / (2 sqrt(Delta^2 - omega^2))", _MF,
                           sp.Matrix([wl, wh]), sp.Matrix([-delta / (2 * root), delta / (2 * root)])))
    dif = {c.name: c.gap for c in model.spectrum("diffuson").channels}
    d.check(check_symbolic("Diffuson: the m = +-1 spin densities are shifted by -+ i omega, charge untouched", _LSF,
                           sp.Matrix([dif["triplet_x~triplet_y-"], dif["triplet_x~triplet_y+"], dif["singlet"]]),
                           sp.Matrix([4 * a + 4 * b - sp.I * w, 4 * a + 4 * b + sp.I * w, 0])))
    tau = sp.Symbol("tau_so", positive=True)
    coeff = singlet_zeeman_dephasing(1 / tau)
    d.equation("Strong spin-orbit: the singlet-like gap gains $c\\,\\omega^2$ with", "c", coeff)
    d.check(check_symbolic("Singlet Zeeman dephasing (3/4) omega^2 tau_so", _MF, coeff, sp.Rational(3, 4) * tau))
    if so is not None or mag is not None or zeeman is not None:
        user = spin_half_model(_rates(so), _rates(mag), zeeman=_vector(zeeman))
        _spectrum_steps(d, user, "Your parameters")
    return d


def _rates(value):
    if value is None:
        return (0, 0, 0)
    if isinstance(value, tuple):
        return tuple(sp.Rational(str(v)) for v in value)
    return (sp.Rational(str(value)) / 3,) * 3


def _vector(value):
    if value is None:
        return None
    if isinstance(value, tuple):
        return tuple(sp.Rational(str(v)) for v in value)
    return (0, 0, sp.Rational(str(value)))
