"""Derivation ``zeeman``: the Zeeman term in the Cooperon and Diffuson (Maekawa-Fukuyama), from the engine.

With parameters (``mesocorr derive cooperon-spin --so ... --mag ... --zeeman ...`` or ``derive zeeman ...``) the
same steps run for the user's rates and Zeeman vector (exact rationals; closed forms of every 2x2 block).
"""

from __future__ import annotations

import sympy as sp

from mesocorr.arguments import as_rational

from mesocorr.derivations.core import Derivation, check_symbolic
from mesocorr.diagrams.pair_kernel import spin_half_model, uniform_rung_coefficients
from mesocorr.symbolic.printing import channel_label
from mesocorr.symbolic.zeeman import singlet_zeeman_dephasing, zeeman_block

TITLE = "Zeeman splitting in the Cooperon and the Diffuson: which channels it touches (Maekawa–Fukuyama)"

_MF = "Maekawa & Fukuyama, J. Phys. Soc. Jpn. 50, 2516 (1981)"
_LSF = "Lee, Stone & Fukuyama, Phys. Rev. B 35, 1039 (1987), Sec. IV (Zeeman-split Diffusons)"

_BASIS = r"$(S, T_x, T_y, T_z)$"
#: significant digits of the floating-point gaps and weights shown for the user's parameters
_DIGITS = 15


def _shown(expr):
    """``expr`` with its floating-point numbers rounded to :data:`_DIGITS` significant digits (display only)."""
    return expr.xreplace({f: sp.Float(f, _DIGITS) for f in expr.atoms(sp.Float)})


def _spectrum_steps(d: Derivation, model, label: str) -> None:
    for kind in ("cooperon", "diffuson"):
        K = kind[0].upper()
        H, W = model.in_channel_basis(kind)
        d.equation(f"{label}: {kind} gap operator $H = 1/\\tau_e - K + L$ in the channel basis {_BASIS}:",
                   f"H_{{{K}}}", _shown(sp.Matrix(H)))
        try:
            chans = model.spectrum(kind).channels
        except ValueError:      # an exceptional point: a defective block has no eigenbasis, only its gaps
            for blk in model.blocks(kind):
                members = ", ".join(f"${channel_label(n)}$" for n in blk.names)
                for gap, mult in sp.Matrix(blk.H).eigenvals().items():
                    note = (" (exceptional point: a defective double gap without eigenvectors; observables come "
                            "from the resolvent)") if mult > 1 and len(blk.names) > 1 else ""
                    d.equation(f"{kind.capitalize()} block {members}{note}:", rf"\Gamma^{K}", _shown(gap))
            continue
        for c in chans:
            members = ", ".join(f"${channel_label(n)}$" for n in c.block)
            sym = channel_label(c.name)
            mixes = f" (mixes {members})" if len(c.block) > 1 else ""
            d.equation(f"{kind.capitalize()} channel ${sym}${mixes}:", rf"\Gamma^{K}_{{{sym}}}",
                       _shown(c.gap))
            if kind == "cooperon":
                d.equation(r"its weak-localization weight $w_c = \mathrm{Tr}[W\Pi_c]$:", rf"w_{{{sym}}}",
                           _shown(c.weight))


def build(so=None, mag=None, zeeman=None) -> Derivation:
    d = Derivation("zeeman", TITLE,
                   "A Zeeman term $(\\hbar/2)\\boldsymbol\\omega\\cdot\\boldsymbol\\sigma$ ($\\boldsymbol\\omega = "
                   "g\\mu_B\\mathbf B/\\hbar$) enters both Green's functions of a ladder. The rung integral with shifted "
                   "lines gives its pair-space form; in the Cooperon the advanced line enters as itself, in the "
                   "Diffuson transposed, so the two differ.")
    c_w, c_R, c_A, steps = uniform_rung_coefficients()
    for (text, expr), lhs in zip(steps, (r"\Pi", r"\frac{1 - \Pi}{\tau}", r"(c_\omega, c_R, c_A)")):
        d.equation(text + ":", lhs, expr)
    a, w, b = sp.symbols("a omega b", positive=True)
    model = spin_half_model((a, a, a), (b, b, b), zeeman=(0, 0, w))
    _spectrum_steps(d, model, "Isotropic spin-orbit $a_i = a$, magnetic $b_i = b$, Zeeman along $z$")
    (lo, hi), (wl, wh) = zeeman_block((a, a, a), (b, b, b), "z", w)
    gS, gT = 6 * b, 4 * a + 2 * b
    mean, delta = (gS + gT) / 2, (gT - gS) / 2
    root = sp.sqrt(delta**2 - w**2)
    d.step(r"Notation for the checks: $\Gamma_S = 6b$, $\Gamma_T = 4a + 2b$, $\bar\Gamma = (\Gamma_S + \Gamma_T)/2$, "
           r"$\Delta = (\Gamma_T - \Gamma_S)/2$.")
    d.check(check_symbolic(r"Cooperon: the singlet and the $m = 0$ triplet $T_z$ mix, with gaps "
                           r"$\bar\Gamma \mp \sqrt{\Delta^2 - \omega^2}$", _MF,
                           sp.Matrix([lo, hi]), sp.Matrix([mean - root, mean + root])))
    d.check(check_symbolic(r"Cooperon block weights $\mp\Delta/\bigl(2\sqrt{\Delta^2 - \omega^2}\bigr)$", _MF,
                           sp.Matrix([wl, wh]), sp.Matrix([-delta / (2 * root), delta / (2 * root)])))
    dif = {c.name: c.gap for c in model.spectrum("diffuson").channels}
    d.check(check_symbolic(r"Diffuson: the $m = \pm1$ spin densities are shifted by $\mp i\omega$, the charge "
                           "density is untouched", _LSF,
                           sp.Matrix([dif["triplet_x~triplet_y-"], dif["triplet_x~triplet_y+"], dif["singlet"]]),
                           sp.Matrix([4 * a + 4 * b - sp.I * w, 4 * a + 4 * b + sp.I * w, 0])))
    tau = sp.Symbol("tau_so", positive=True)
    coeff = singlet_zeeman_dephasing(1 / tau)
    d.equation(r"Strong spin-orbit: the singlet-like gap gains $c\,\omega^2$ with", "c", coeff)
    d.check(check_symbolic(r"Singlet Zeeman dephasing $c\,\omega^2$ with $c = \frac{3}{4}\tau_{so}$", _MF,
                           coeff, sp.Rational(3, 4) * tau))
    if so is not None or mag is not None or zeeman is not None:
        user = spin_half_model(_rates("so", so), _rates("mag", mag), zeeman=_vector(zeeman))
        _spectrum_steps(d, user, "Your parameters")
    return d


def _rates(name: str, value):
    if value is None:
        return (0, 0, 0)
    if isinstance(value, tuple):
        return tuple(as_rational(f"{name}[{i}]", v) for i, v in enumerate(value))
    return (as_rational(name, value) / 3,) * 3


def _vector(value):
    if value is None:
        return None
    if isinstance(value, tuple):
        return tuple(as_rational(f"zeeman[{i}]", v) for i, v in enumerate(value))
    return (0, 0, as_rational("zeeman", value))
