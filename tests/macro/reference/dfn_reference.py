#!/usr/bin/env python3
"""Independent Doyle-Fuller-Newman (P2D) reference for the Marquis 2019 set.

Written from the published parameter set only (Marquis et al., J. Electrochem.
Soc. 166 (2019) A3693; not from the C++
electrode solver), to generate reference discharge curves that the solver is
regression-tested against (tests/macro/reference_test.cc). Needs numpy and
scipy; CI does not run it, it reads the committed CSV files.

Model (isothermal P2D, exactly as in the reference document)
------------------------------------------------------------
  particles    dcs/dt = Ds r^-2 d/dr (r^2 dcs/dr), -Ds dcs/dr(R) = j/F
  kinetics     j = 2 j0 sinh(F eta / 2RT), eta = phis - phie - U(cs,surf/cmax)
  solid        is = -sigma (1-eps)^1.5 dphis/dx, dis/dx = -a j
  electrolyte  ie = kappa(ce) eps^1.5 [2(1-t+)(RT/F) dln(ce)/dx - dphie/dx],
               die/dx = a j
               eps dce/dt = d/dx(eps^1.5 De(ce) dce/dx) + (1-t+) a j / F
  boundaries   phis(0) = 0, is(0) = is(L) = I, is = 0 at the separator faces,
               no electrolyte flux or current at x = 0 and x = L
  voltage      V = phis(L) - phis(0)

Discretisation (deliberately different from the C++ solver's)
-------------------------------------------------------------
* x: cell-centred finite volumes, uniform cells in each region, harmonic face
  coefficients (exact flux continuity for piecewise-constant coefficients at
  the region interfaces). The electrolyte current uses the harmonic mean of
  kappa*B acting on the difference of the electrochemical potential
  phie - 2(1-t+)(RT/F) ln ce. The solid potential at x = 0 and x = L is
  reconstructed from the first/last cell value with the boundary current and
  the (cell-constant) reaction, to second order.
* r: exact eigenfunction expansion of the linear particle problem (Ds is
  constant): with the Neumann eigenvalues tan(lambda_k) = lambda_k,
      d cbar/dt  = -3 q / R                        (volume average)
      d psi_k/dt = -(Ds lambda_k^2 / R^2) psi_k - 2 q / R   (k = 1..K)
      cs,surf    = cbar + sum_k psi_k - (q R / Ds) (1/5 - sum_k 2/lambda_k^2)
  with q = j/F. psi_k is mode k's contribution to the surface value; the last
  term is the quasi-static sum of all modes k > K (sum over all k of
  2/lambda_k^2 = 1/5), so truncation only misses the dynamics of modes faster
  than Ds lambda_K^2 / R^2 (error falling like K^-3 and decaying in time).
* t: the index-1 DAE (differential ce, cbar, psi; algebraic phie, phis, j)
  integrated by a variable-step BDF2 with a predictor-corrector
  local-error estimate, Newton (chord) iterations converged to 1e-10 (scaled),
  and exact complex-step Jacobians (column colouring). Output times are hit
  exactly; the cut-off time is located by re-taking the last step with a
  root-found step length (brentq on V(t) = cut-off).
* Gauge: phie in the first cell is 0 (replacing one of the redundant charge
  balances); V is gauge-free.
* V(0) is the consistent loaded voltage at t = 0+ with cs,surf = cs0 (no
  mode has relaxed yet, so the quasi-static tail is left out there).

Convergence (max |dV| over the curve, default resolution 80 cells per
100 um, 40 modes, tol 1e-7, versus one refinement of each; --study)
  rate   x 80->160 cells   modes 40->80   tol 1e-7->1e-8
  0.5C   7.2e-7 V          1.5e-9 V       1.0e-7 V
  1C     1.5e-6 V          5.6e-9 V       1.4e-7 V
  2C     3.2e-6 V          1.5e-8 V       1.8e-7 V   (cut-off time 3e-4 s)
x converges at second order (40->80 cells changes 4x as much), so the
error of the default resolution is about 4/3 of the x column: <= 5 uV.
Lithium is conserved to 1e-14 (relative).

Usage
-----
  python3 tests/macro/reference/dfn_reference.py --rate 1 \\
      --output tests/macro/reference/marquis2019_1C.csv
  python3 tests/macro/reference/dfn_reference.py --rate 1 --study
"""

import argparse
import sys
import time

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from scipy.optimize import brentq

# --- constants and parameters of Marquis et al. (2019) ------------------------
FARADAY = 96485.33212
GAS = 8.314462618
TEMP = 298.15
T_PLUS = 0.4
CE0 = 1000.0
I_1C = 24.0
V_MIN = 3.105
L_NEG, L_SEP, L_POS = 100e-6, 25e-6, 100e-6

ELECTRODES = {
    "n": dict(eps=0.3, eps_s=0.6, R=10e-6, sigma=100.0,
              cmax=24983.2619938437, sto0=0.8, Ds=3.9e-14, k0=2.0e-5),
    "p": dict(eps=0.3, eps_s=0.5, R=10e-6, sigma=10.0,
              cmax=51217.9257309275, sto0=0.6, Ds=1.0e-13, k0=6.0e-7),
}
EPS_SEP = 1.0


def ocp_n(x):
    """Negative open-circuit potential U_n(sto) [V]."""
    return (0.194 + 1.5 * np.exp(-120.0 * x)
            + 0.0351 * np.tanh((x - 0.286) / 0.083)
            - 0.0045 * np.tanh((x - 0.849) / 0.119)
            - 0.035 * np.tanh((x - 0.9233) / 0.05)
            - 0.0147 * np.tanh((x - 0.5) / 0.034)
            - 0.102 * np.tanh((x - 0.194) / 0.142)
            - 0.022 * np.tanh((x - 0.9) / 0.0164)
            - 0.011 * np.tanh((x - 0.124) / 0.0226)
            + 0.0155 * np.tanh((x - 0.105) / 0.029))


def ocp_p(x):
    """Positive open-circuit potential U_p(sto) [V], stretch s = 1.062 sto."""
    s = 1.062 * x
    return (2.16216 + 0.07645 * np.tanh(30.834 - 54.4806 * s)
            + 2.1581 * np.tanh(52.294 - 50.294 * s)
            - 0.14169 * np.tanh(11.0923 - 19.8543 * s)
            + 0.2051 * np.tanh(1.4684 - 5.4888 * s)
            + 0.2531 * np.tanh((-s + 0.56478) / 0.1316)
            - 0.02167 * np.tanh((s - 0.525) / 0.006))


def diffusivity_e(ce):
    """Electrolyte diffusivity De(ce) [m^2/s]."""
    return 5.34e-10 * np.exp(-0.65 * ce / 1000.0)


def conductivity_e(ce):
    """Electrolyte conductivity kappa(ce) [S/m]."""
    c = ce / 1000.0
    return 0.0911 + 1.9101 * c - 1.052 * c ** 2 + 0.1554 * c ** 3


def tan_roots(count):
    """The first `count` positive roots of tan(lambda) = lambda."""
    roots = []
    for k in range(1, count + 1):
        lo, hi = k * np.pi + 1e-12, k * np.pi + np.pi / 2 - 1e-12
        roots.append(brentq(lambda z: np.sin(z) - z * np.cos(z), lo, hi,
                            xtol=1e-15, rtol=1e-15, maxiter=200))
    return np.array(roots)


class DFN:
    """The semi-discrete DFN model: f(u) with differential/algebraic rows."""

    def __init__(self, cells_per_100um=40, modes=20, current=I_1C):
        n_n = cells_per_100um
        n_s = max(1, int(round(cells_per_100um * L_SEP / L_NEG)))
        n_p = int(round(cells_per_100um * L_POS / L_NEG))
        self.cells = (n_n, n_s, n_p)
        m = n_n + n_s + n_p
        self.m = m
        self.current = current
        self.h = np.concatenate([np.full(n_n, L_NEG / n_n),
                                 np.full(n_s, L_SEP / n_s),
                                 np.full(n_p, L_POS / n_p)])
        pn, pp = ELECTRODES["n"], ELECTRODES["p"]
        self.eps = np.concatenate([np.full(n_n, pn["eps"]),
                                   np.full(n_s, EPS_SEP),
                                   np.full(n_p, pp["eps"])])
        self.brug = self.eps ** 1.5
        # electrode cells: negative first, then positive
        self.neg = np.arange(n_n)
        self.pos = np.arange(n_n + n_s, m)
        self.elec = np.concatenate([self.neg, self.pos])
        e = n_n + n_p
        self.e = e
        is_neg = np.arange(e) < n_n
        self.is_neg = is_neg

        def per_cell(key):
            return np.where(is_neg, pn[key], pp[key])

        self.R = per_cell("R")
        self.Ds = per_cell("Ds")
        self.cmax = per_cell("cmax")
        self.k0 = per_cell("k0")
        self.a = 3.0 * per_cell("eps_s") / self.R
        self.sigma_n = pn["sigma"] * (1.0 - pn["eps"]) ** 1.5
        self.sigma_p = pp["sigma"] * (1.0 - pp["eps"]) ** 1.5
        self.cs0 = per_cell("sto0") * self.cmax
        self.h_e = self.h[self.elec]

        lam = tan_roots(modes)
        self.modes = modes
        self.mu = self.Ds[:, None] * lam[None, :] ** 2 / self.R[:, None] ** 2
        self.tail = 0.2 - np.sum(2.0 / lam ** 2)  # quasi-static modes > K

        # layout of u
        sizes = [("ce", m), ("cbar", e), ("psi", e * modes),
                 ("phie", m), ("phis", e), ("j", e)]
        self.sl = {}
        start = 0
        for name, size in sizes:
            self.sl[name] = slice(start, start + size)
            start += size
        self.n = start
        self.differential = np.zeros(self.n, dtype=bool)
        self.differential[:self.sl["phie"].start] = True
        # typical magnitudes: error weights and Newton scaling
        self.scale = np.empty(self.n)
        self.scale[self.sl["ce"]] = CE0
        self.scale[self.sl["cbar"]] = self.cmax
        self.scale[self.sl["psi"]] = np.repeat(self.cmax, modes)
        self.scale[self.sl["phie"]] = 1.0
        self.scale[self.sl["phis"]] = 1.0
        self.scale[self.sl["j"]] = 1.0
        self._colouring()

    # --- the model ----------------------------------------------------------
    def unpack(self, u):
        s = self.sl
        return (u[s["ce"]], u[s["cbar"]], u[s["psi"]].reshape(self.e, -1),
                u[s["phie"]], u[s["phis"]], u[s["j"]])

    def surface(self, cbar, psi, j):
        """Particle surface concentration from the modal states."""
        q = j / FARADAY
        return (cbar + psi.sum(axis=1)
                - q * self.R / self.Ds * self.tail)

    @staticmethod
    def _harmonic(h, k):
        """Face coefficients 1 / (h_l/(2 k_l) + h_r/(2 k_r))."""
        return 1.0 / (0.5 * h[:-1] / k[:-1] + 0.5 * h[1:] / k[1:])

    def f(self, u):
        """Right-hand sides (differential rows) and residuals (algebraic)."""
        ce, cbar, psi, phie, phis, j = self.unpack(u)
        m, h, n_n = self.m, self.h, self.cells[0]
        aj = np.zeros(m, dtype=u.dtype)
        aj[self.elec] = self.a * j
        out = np.empty(self.n, dtype=u.dtype)
        s = self.sl

        # electrolyte salt: eps dce/dt = d/dx(B De dce/dx) + (1-t+) a j / F
        g = self._harmonic(h, self.brug * diffusivity_e(ce)) * np.diff(ce)
        flux = np.concatenate([[0.0], g, [0.0]])
        out[s["ce"]] = ((np.diff(flux) + (1 - T_PLUS) * aj * h / FARADAY)
                        / (self.eps * h))
        # particles
        q = j / FARADAY
        out[s["cbar"]] = -3.0 * q / self.R
        out[s["psi"]] = (-self.mu * psi
                         - (2.0 * q / self.R)[:, None]).ravel()
        # electrolyte current: ie = -K d(phie - beta ln ce)/dx, die/dx = a j
        beta = 2.0 * (1 - T_PLUS) * GAS * TEMP / FARADAY
        kf = self._harmonic(h, self.brug * conductivity_e(ce))
        ie = -kf * (np.diff(phie) - beta * np.diff(np.log(ce)))
        ie = np.concatenate([[0.0], ie, [0.0]])
        res_e = np.diff(ie) - aj * h
        res_e[0] = phie[0]  # gauge (one balance is redundant)
        out[s["phie"]] = res_e
        # solid current: is = -sigma_eff dphis/dx, dis/dx = -a j
        ps_n, ps_p = phis[:n_n], phis[n_n:]
        hn, hp = h[0], h[-1]
        is_n = -self.sigma_n * np.diff(ps_n) / hn
        is_p = -self.sigma_p * np.diff(ps_p) / hp
        cur = self.current
        is_n = np.concatenate([[cur], is_n, [0.0]])
        is_p = np.concatenate([[0.0], is_p, [cur]])
        res_s = np.concatenate([np.diff(is_n) + aj[self.neg] * hn,
                                np.diff(is_p) + aj[self.pos] * hp])
        out[s["phis"]] = res_s
        # Butler-Volmer
        cs = self.surface(cbar, psi, j)
        sto = cs / self.cmax
        ocp = np.where(self.is_neg, ocp_n(sto), ocp_p(sto))
        j0 = (self.k0 * np.sqrt(ce[self.elec]) * np.sqrt(cs)
              * np.sqrt(self.cmax - cs))
        eta = phis - phie[self.elec] - ocp
        out[s["j"]] = j - 2.0 * j0 * np.sinh(FARADAY * eta / (2 * GAS * TEMP))
        return out

    def voltage(self, u):
        """V = phis(L) - phis(0), boundary values reconstructed to O(h^2)."""
        _, _, _, _, phis, j = self.unpack(u)
        hn, hp, cur = self.h[0], self.h[-1], self.current
        a_n, a_p = self.a[0], self.a[-1]
        phi0 = phis[0] + hn / (2 * self.sigma_n) * (cur - a_n * j[0] * hn / 4)
        phiL = (phis[-1]
                - hp / (2 * self.sigma_p) * (cur + a_p * j[-1] * hp / 4))
        return float(np.real(phiL - phi0))

    # --- Jacobian by complex step with column colouring ---------------------
    def _colouring(self):
        """Sparsity pattern (NaN propagation) and a greedy column colouring."""
        u = self.initial_guess()
        rows, cols = [], []
        for c in range(self.n):
            v = u.copy()
            v[c] = np.nan
            with np.errstate(invalid="ignore"):
                r = np.nonzero(np.isnan(self.f(v)))[0]
            rows.append(r)
            cols.append(np.full(r.size, c))
        self.pat_rows = np.concatenate(rows)
        self.pat_cols = np.concatenate(cols)
        colour = np.full(self.n, -1)
        used = []  # per colour: rows touched
        for c in range(self.n):
            r = rows[c]
            for k, mask in enumerate(used):
                if not mask[r].any():
                    colour[c] = k
                    mask[r] = True
                    break
            else:
                mask = np.zeros(self.n, dtype=bool)
                mask[r] = True
                used.append(mask)
                colour[c] = len(used) - 1
        self.colour = colour
        self.n_colours = len(used)

    def jacobian(self, u):
        step = 1e-30
        fim = np.empty((self.n_colours, self.n))
        for k in range(self.n_colours):
            v = u.astype(complex)
            v[self.colour == k] += 1j * step
            fim[k] = self.f(v).imag / step
        data = fim[self.colour[self.pat_cols], self.pat_rows]
        return sp.csc_matrix((data, (self.pat_rows, self.pat_cols)),
                             shape=(self.n, self.n))

    # --- initial state -------------------------------------------------------
    def initial_guess(self):
        u = np.zeros(self.n)
        s = self.sl
        u[s["ce"]] = CE0
        u[s["cbar"]] = self.cs0
        u[s["psi"]] = 0.0
        un = ocp_n(ELECTRODES["n"]["sto0"])
        up = ocp_p(ELECTRODES["p"]["sto0"])
        u[s["phie"]] = -un
        u[s["phis"]] = np.where(self.is_neg, 0.0, up - un)
        u[s["j"]] = np.where(self.is_neg, self.current / (self.a * L_NEG),
                             -self.current / (self.a * L_POS))
        return u

    def consistent_initial_state(self):
        """Differential states at rest, algebraic ones solved under load."""
        u = self.initial_guess()
        alg = ~self.differential
        for _ in range(50):
            r = self.f(u)[alg]
            jac = self.jacobian(u)[alg][:, alg]
            du = spla.spsolve(jac.tocsc(), -r)
            u[alg] += du
            if np.max(np.abs(du / self.scale[alg])) < 1e-13:
                return u
        raise RuntimeError("initial algebraic solve did not converge")

    def initial_voltage(self):
        """V(0+): consistent loaded state with cs,surf = cs0 exactly.

        At t = 0+ no particle mode has relaxed, so the quasi-static tail (a
        truncation device for t >> R^2/(Ds lambda_K^2)) is left out here;
        this is the K -> infinity limit of V(0+)."""
        tail, self.tail = self.tail, 0.0
        try:
            return self.voltage(self.consistent_initial_state())
        finally:
            self.tail = tail


class BDF2:
    """Variable-step BDF2 for M u' = f(u), M = diag(differential)."""

    def __init__(self, model, tol, h_max=60.0):
        self.model = model
        self.tol = tol
        self.h_max = h_max
        self.d = model.differential.astype(float)
        self.jac = None
        self.stats = dict(steps=0, rejected=0, jacobians=0, newton=0)

    def _newton(self, u_pred, history, hb):
        """Solve d*(u - history) - S f(u) = 0, S = hb (diff.), -1 (alg.)."""
        m = self.model
        s = np.where(m.differential, hb, -1.0)
        u = u_pred.copy()
        for attempt in range(2):
            if self.jac is None or attempt == 1:
                self.jac = m.jacobian(u)
                self.stats["jacobians"] += 1
            a = sp.diags(self.d) - sp.diags(s) @ self.jac
            lu = spla.splu(a.tocsc())
            ok = False
            prev = None
            for it in range(12):
                r = self.d * (u - history) - s * m.f(u)
                du = lu.solve(-r)
                u = u + du
                self.stats["newton"] += 1
                size = np.max(np.abs(du) / m.scale)
                if not np.isfinite(size):
                    break
                if size < 1e-10:
                    ok = True
                    break
                if prev is not None and size > 0.5 * prev:
                    break  # too slow: refresh the Jacobian
                prev = size
            if ok:
                return u
            u = u_pred.copy()
        return None

    def step(self, ts, us, h):
        """One step of length h from the history (ts, us); returns (u, err)."""
        t_new = ts[-1] + h
        if len(us) == 1:  # implicit Euler start (a tiny first step)
            hist, hb = us[-1], h
            u_pred = us[-1]
        else:
            omega = h / (ts[-1] - ts[-2])
            a1 = (1 + omega) ** 2 / (1 + 2 * omega)
            a2 = omega ** 2 / (1 + 2 * omega)
            hb = h * (1 + omega) / (1 + 2 * omega)
            hist = a1 * us[-1] - a2 * us[-2]
            u_pred = self._extrapolate(ts, us, t_new)
        u = self._newton(u_pred, hist, hb)
        if u is None:
            return None, np.inf
        if len(us) < 3 or h == 0.0:
            return u, 0.0
        # error constants of corrector and predictor for y = (t-t_new)^3/6
        y = [(t - t_new) ** 3 / 6 for t in ts[-3:]]
        c_corr = a1 * y[2] - a2 * y[1]
        c_pred = self._lagrange(ts[-3:], y, t_new)
        est = c_corr / (c_corr - c_pred) * (u - u_pred)
        err = np.max(np.abs(est) / (self.model.scale * self.tol))
        return u, err

    @staticmethod
    def _lagrange(ts, ys, t):
        total = 0.0 * ys[0]
        for i in range(len(ts)):
            w = 1.0
            for k in range(len(ts)):
                if k != i:
                    w *= (t - ts[k]) / (ts[i] - ts[k])
            total = total + w * ys[i]
        return total

    def _extrapolate(self, ts, us, t):
        n = min(3, len(us))
        return self._lagrange(ts[-n:], us[-n:], t)

    def run(self, u0, t_end, t_out, v_min):
        """Integrate to t_end or the cut-off; V at the output times."""
        m = self.model
        ts, us = [0.0], [u0]
        out_t, out_v = [0.0], [m.voltage(u0)]
        targets = [t for t in t_out if t > 0] + [t_end]
        targets = sorted(set(targets))
        h = 1e-6
        ti = 0
        while ti < len(targets):
            t = ts[-1]
            target = targets[ti]
            h = min(h, self.h_max)
            if len(us) >= 2:
                h = min(h, 2.0 * (ts[-1] - ts[-2]))  # BDF2 zero-stability
            if t + h >= target - 1e-9:
                h = target - t
            elif t + 2 * h > target:
                h = 0.5 * (target - t)
            u, err = self.step(ts, us, h)
            if u is None or err > 1.0:
                self.stats["rejected"] += 1
                h *= 0.25 if u is None else max(0.2, 0.9 * err ** (-1 / 3))
                if h < 1e-12:
                    raise RuntimeError("step size underflow at t = %g" % t)
                continue
            v = m.voltage(u)
            if v < v_min:
                # re-take the step with the length that lands on the cut-off
                def miss(hh):
                    uu, _ = self.step(ts, us, hh)
                    return m.voltage(uu) - v_min
                h_cut = brentq(miss, 0.0 if len(us) > 1 else 1e-12, h,
                               xtol=1e-9, rtol=1e-14)
                u, _ = self.step(ts, us, h_cut)
                ts.append(t + h_cut)
                us.append(u)
                out_t.append(ts[-1])
                out_v.append(m.voltage(u))
                return np.array(out_t), np.array(out_v), us[-1]
            self.stats["steps"] += 1
            ts.append(t + h)
            us.append(u)
            ts, us = ts[-3:], us[-3:]
            if abs(ts[-1] - target) < 1e-9:
                ts[-1] = target
                if target in t_out or target == t_end:
                    out_t.append(target)
                    out_v.append(v)
                ti += 1
            factor = 2.0 if err == 0.0 else 0.9 * err ** (-1 / 3)
            h = h * min(2.0, max(0.2, factor))
        return np.array(out_t), np.array(out_v), us[-1]


def simulate(rate, cells=40, modes=20, tol=1e-6, interval=60.0, verbose=False):
    """Discharge at `rate` C to 3.105 V or for 3600/rate s.

    Returns the output times (every `interval` s and the end), the voltages,
    the model and the final state."""
    t0 = time.time()
    model = DFN(cells, modes, current=rate * I_1C)
    u0 = model.consistent_initial_state()
    t_end = 3600.0 / rate
    t_out = list(np.arange(0.0, t_end + 0.5 * interval, interval))
    solver = BDF2(model, tol)
    t, v, u_end = solver.run(u0, t_end, t_out, V_MIN)
    v[0] = model.initial_voltage()
    if verbose:
        print("  cells/100um=%d modes=%d tol=%.0e: %d unknowns, %d colours, "
              "%s, %.1f s" % (cells, modes, tol, model.n, model.n_colours,
                              solver.stats, time.time() - t0),
              file=sys.stderr)
    return t, v, model, u_end


def lithium_check(model, u_end, t_end):
    """Solid lithium moved vs charge passed over F [relative error]."""
    _, cbar, _, _, _, _ = model.unpack(u_end)
    vol = (4.0 / 3.0) * np.pi * model.R ** 3  # per particle
    n_part = model.a * model.h_e / (4 * np.pi * model.R ** 2)
    moved = n_part * vol * (cbar - model.cs0)
    neg = -moved[model.is_neg].sum()
    pos = moved[~model.is_neg].sum()
    ref = model.current * t_end / FARADAY
    return (neg - ref) / ref, (pos - ref) / ref


def compare(a, b):
    """Max |dV| on common output times, |dV| at 1800 s, |dt_end|.

    The last rows are compared when both runs end at the same time (full
    duration); a cut-off is compared by its time only."""
    ta, va = a
    tb, vb = b
    n = min(len(ta), len(tb))
    if abs(ta[n - 1] - tb[n - 1]) > 1e-6:
        n -= 1
    dv = np.abs(va[:n] - vb[:n])
    at = np.nonzero(np.abs(ta[:n] - 1800.0) < 1e-6)[0]
    return dv.max(), (dv[at[0]] if at.size else np.nan), abs(ta[-1] - tb[-1])


def study(rate, base):
    """Refine x, the particle modes and the time tolerance separately."""
    cells, modes, tol = base
    ref = simulate(rate, cells, modes, tol, verbose=True)[:2]
    print("base: cells/100um=%d modes=%d tol=%.0e, end %.3f s, V=%.6f"
          % (cells, modes, tol, ref[0][-1], ref[1][-1]))
    for label, args in [("x  /2", (2 * cells, modes, tol)),
                        ("x  x2", (cells // 2, modes, tol)),
                        ("r  x2 modes", (cells, 2 * modes, tol)),
                        ("r  /2 modes", (cells, modes // 2, tol)),
                        ("t  tol/10", (cells, modes, tol / 10)),
                        ("t  tol*10", (cells, modes, tol * 10))]:
        other = simulate(rate, *args, verbose=True)[:2]
        dmax, d1800, dend = compare(ref, other)
        print("%-12s max|dV| = %.3e V, |dV(1800)| = %.3e V, |dt_end| = %.1e s"
              % (label, dmax, d1800, dend), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=1.0, help="C-rate")
    parser.add_argument("--cells", type=int, default=80,
                        help="cells per 100 um (separator: a quarter)")
    parser.add_argument("--modes", type=int, default=40,
                        help="particle eigenmodes K")
    parser.add_argument("--tol", type=float, default=1e-7,
                        help="BDF2 local-error tolerance (scaled)")
    parser.add_argument("--output", help="CSV file to write")
    parser.add_argument("--note", action="append", default=[],
                        help="extra header comment line (measured errors)")
    parser.add_argument("--study", action="store_true",
                        help="convergence study around --cells/--modes/--tol")
    args = parser.parse_args()
    if args.study:
        study(args.rate, (args.cells, args.modes, args.tol))
        return
    t, v, model, u_end = simulate(args.rate, args.cells, args.modes, args.tol,
                                  verbose=True)
    dn, dp = lithium_check(model, u_end, t[-1])
    print("end t = %.4f s, V = %.6f V; lithium balance rel. errors %.1e %.1e"
          % (t[-1], v[-1], dn, dp), file=sys.stderr)
    lines = [
        "# Marquis et al. 2019 DFN, %gC constant-current discharge (%g A/m^2) "
        "to 3.105 V or %g s."
        % (args.rate, args.rate * I_1C, 3600 / args.rate),
        "# Generated by tests/macro/reference/dfn_reference.py --rate %g "
        "--cells %d --modes %d --tol %g (independent of the C++ solver)."
        % (args.rate, args.cells, args.modes, args.tol),
        "# Discretisation: cell-centred finite volumes in x (%d/%d/%d cells, "
        "harmonic faces), exact particle eigenmode expansion (%d modes + "
        "quasi-static tail), variable-step BDF2 DAE (tol %g)."
        % (model.cells + (args.modes, args.tol)),
    ] + ["# " + note for note in args.note] + [
        "# V(0) is the consistent loaded voltage at t = 0+; the last row is "
        "the end of the discharge (cut-off or full time).",
        "time_s,voltage_V"]
    lines += ["%.6f,%.8f" % (ti, vi) for ti, vi in zip(t, v)]
    text = "\n".join(lines) + "\n"
    if args.output:
        with open(args.output, "w") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
