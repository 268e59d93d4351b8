r"""Derived Cooperon forms of the Dirac-material presets, stored exactly for the numeric paths (no SymPy at run time).

Output of :func:`mesocorr.diagrams.dirac_models.dirac_linear_forms` (band projection of the Dirac vertices, the
engine's channel basis and weights), frozen as rationals; ``tests/test_dirac.py`` re-derives every entry and
compares exactly. Forms are those of :func:`mesocorr.diagrams.pair_kernel.linear_form` (sparse matrices of
``(i, j, re, im)``) plus ``soft``: the channels whose gap does not contain the potential rate (the diffusive
modes; the others have gaps of order :math:`1/\tau` and are dropped by the numeric paths).

Parameters are fields (tesla) or rates alike (the gaps are linear and homogeneous in them):

* graphene: ``B_phi``, ``B_intervalley`` = :math:`\hbar/(4eD\tau_i)` (:math:`1/\tau_i` the intervalley
  scattering rate), ``B_intravalley`` (the intravalley symmetry-breaking rate as a field);
* ti-film: ``B_phi_top``, ``B_phi_bottom``, ``B_tunnel`` = :math:`\hbar/(4eD\tau_t)` (:math:`1/\tau_t` the
  rate of tunnelling from one surface to the other);
* ti-surface: per Cooperon harmonic sector ``(n, P, Q, P_w, Q_w)``, gap :math:`\Gamma_n = (P(a)/Q(a))/\tau`,
  weight (bare + two dressed Hikami boxes) :math:`P_w(a)/Q_w(a)`, :math:`a = m/E_F`, lowest power first.
"""

from __future__ import annotations

from fractions import Fraction as F

__all__ = ["GRAPHENE_COOPERON", "GRAPHENE_DIFFUSON", "TI_FILM_COOPERON", "TI_FILM_DIFFUSON", "TI_SURFACE_SECTORS"]

#: graphene Cooperon (one spin species, N = 2 valleys): engine form with dephasing
GRAPHENE_COOPERON = {'kind': 'cooperon',
 'channels': ('valley_0', 'valley_x', 'valley_y', 'valley_z'),
 'parameters': ('B_phi', 'gamma_0', 'B_intervalley', 'B_intravalley'),
 'constant': (),
 'generators': {'B_phi': ((0, 0, F(1), F(0)),
                          (1, 1, F(1), F(0)),
                          (2, 2, F(1), F(0)),
                          (3, 3, F(1), F(0))),
                'gamma_0': (),
                'B_intervalley': ((1, 1, F(1), F(0)),
                                  (2, 2, F(1), F(0)),
                                  (3, 3, F(2), F(0))),
                'B_intravalley': ((1, 1, F(1), F(0)),
                                  (2, 2, F(1), F(0)))},
 'weight': ((0, 0, F(1, 2), F(0)),
            (1, 1, F(-1, 2), F(0)),
            (2, 2, F(-1, 2), F(0)),
            (3, 3, F(-1, 2), F(0))),
 'soft': (0, 1, 2, 3)}

#: graphene Diffuson (UCF): engine form with dephasing
GRAPHENE_DIFFUSON = {'kind': 'diffuson',
 'channels': ('valley_0', 'valley_x', 'valley_y', 'valley_z'),
 'parameters': ('B_phi', 'gamma_0', 'B_intervalley', 'B_intravalley'),
 'constant': (),
 'generators': {'B_phi': ((0, 0, F(1), F(0)),
                          (1, 1, F(1), F(0)),
                          (2, 2, F(1), F(0)),
                          (3, 3, F(1), F(0))),
                'gamma_0': (),
                'B_intervalley': ((1, 1, F(1), F(0)),
                                  (2, 2, F(1), F(0)),
                                  (3, 3, F(2), F(0))),
                'B_intravalley': ((1, 1, F(1), F(0)),
                                  (2, 2, F(1), F(0)))},
 'weight': ((0, 0, F(1), F(0)),
            (1, 1, F(1), F(0)),
            (2, 2, F(1), F(0)),
            (3, 3, F(1), F(0))),
 'soft': (0, 1, 2, 3)}

#: tunnel-coupled TI film Cooperon (N = 2 surfaces)
TI_FILM_COOPERON = {'kind': 'cooperon',
 'channels': ('surface_0', 'surface_x', 'surface_y', 'surface_z'),
 'parameters': ('gamma_0', 'B_phi_top', 'B_phi_bottom', 'B_tunnel'),
 'constant': (),
 'generators': {'gamma_0': ((1, 1, F(1, 2), F(0)), (2, 2, F(1, 2), F(0))),
                'B_phi_top': ((0, 0, F(1, 2), F(0)),
                              (0, 3, F(1, 2), F(0)),
                              (1, 1, F(1, 2), F(0)),
                              (2, 2, F(1, 2), F(0)),
                              (3, 0, F(1, 2), F(0)),
                              (3, 3, F(1, 2), F(0))),
                'B_phi_bottom': ((0, 0, F(1, 2), F(0)),
                                 (0, 3, F(-1, 2), F(0)),
                                 (1, 1, F(1, 2), F(0)),
                                 (2, 2, F(1, 2), F(0)),
                                 (3, 0, F(-1, 2), F(0)),
                                 (3, 3, F(1, 2), F(0))),
                'B_tunnel': ((2, 2, F(2), F(0)),
                             (3, 3, F(2), F(0)))},
 'weight': ((0, 0, F(-1, 2), F(0)),
            (1, 1, F(1, 2), F(0)),
            (2, 2, F(-1, 2), F(0)),
            (3, 3, F(-1, 2), F(0))),
 'soft': (0, 3)}

#: tunnel-coupled TI film Diffuson (UCF)
TI_FILM_DIFFUSON = {'kind': 'diffuson',
 'channels': ('surface_0', 'surface_x', 'surface_y', 'surface_z'),
 'parameters': ('gamma_0', 'B_phi_top', 'B_phi_bottom', 'B_tunnel'),
 'constant': (),
 'generators': {'gamma_0': ((1, 1, F(1, 2), F(0)), (2, 2, F(1, 2), F(0))),
                'B_phi_top': ((0, 0, F(1, 2), F(0)),
                              (0, 3, F(1, 2), F(0)),
                              (1, 1, F(1, 2), F(0)),
                              (2, 2, F(1, 2), F(0)),
                              (3, 0, F(1, 2), F(0)),
                              (3, 3, F(1, 2), F(0))),
                'B_phi_bottom': ((0, 0, F(1, 2), F(0)),
                                 (0, 3, F(-1, 2), F(0)),
                                 (1, 1, F(1, 2), F(0)),
                                 (2, 2, F(1, 2), F(0)),
                                 (3, 0, F(-1, 2), F(0)),
                                 (3, 3, F(1, 2), F(0))),
                'B_tunnel': ((2, 2, F(2), F(0)),
                             (3, 3, F(2), F(0)))},
 'weight': ((0, 0, F(1), F(0)),
            (1, 1, F(1), F(0)),
            (2, 2, F(1), F(0)),
            (3, 3, F(1), F(0))),
 'soft': (0, 3)}

#: single-cone Cooperon sectors (n, P, Q, P_w, Q_w): gap = P(a)/Q(a) / tau, Hikami-dressed weight P_w(a)/Q_w(a)
TI_SURFACE_SECTORS = ((0,
  (F(1), F(-2), F(1)),
  (F(2), F(0), F(2)),
  (F(1), F(2), F(1)),
  (F(2), F(0), F(2))),
 (1,
  (F(0), F(0), F(2)),
  (F(1), F(0), F(1)),
  (F(-1), F(0), F(1)),
  (F(1), F(0), F(3))))
