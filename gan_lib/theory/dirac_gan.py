"""The Dirac-GAN of Mescheder, Geiger & Nowozin (2018): a GAN small enough to solve by hand.

The data are a point mass at 0; the generator is a point mass at theta (G(z) = theta for every
z); the discriminator is linear, D(x) = psi * x, a logit. The only equilibrium is
(theta, psi) = (0, 0): G on the data, D indifferent. The game's *vector field* is the direction
each player moves under gradient play (G descends its loss in theta, D descends its loss in psi):

    v(theta, psi) = (-dL_G/dtheta, -dL_D/dpsi).

The book's convention (D's logit says "real"; G uses the non-saturating loss; the paper writes D
with the opposite sign, which maps psi to -psi and leaves every eigenvalue unchanged). With
s(t) = sigmoid(t) and sp(t) = softplus(t) = -log s(-t):

- "gan":  L_D = sp(-psi * 0) + sp(psi * theta),   L_G = sp(-psi * theta)
          v = (psi * s(-psi theta), -theta * s(psi theta));     J(0, 0) = [[0, 1/2], [-1/2, 0]]
- "wgan-clip": L_D = psi * theta - psi * 0,  L_G = -psi * theta, psi clipped to [-c, c] after
          every D step;  v = (psi, -theta);                      J(0, 0) = [[0, 1], [-1, 0]]
- "wgan-gp": the WGAN losses plus lam * (|dD/dx| - g0)^2 = lam * (|psi| - g0)^2 in L_D (dD/dx is
          psi at every interpolate); v_psi = -theta - 2 lam (|psi| - g0) sign(psi). v jumps by
          4 lam g0 across psi = 0 and does not vanish near (0, 0): no Jacobian exists there.
- "instance-noise": both real and fake points get N(0, sigma^2) noise; the expectations are
          computed by Gauss-Hermite quadrature.            J(0, 0) = [[0, 1/2], [-1/2, -sigma^2/2]]
- "r1":   the GAN losses plus (gamma / 2) E_real |dD/dx|^2 = (gamma / 2) psi^2 in L_D (the
          zero-centred penalty on real data).              J(0, 0) = [[0, 1/2], [-1/2, -gamma]]

The eigenvalues of J decide local behaviour: purely imaginary (gan, wgan) means the continuous
flow circles the equilibrium and finite simultaneous steps, whose update has eigenvalues
1 + lr * lambda with modulus > 1, spiral out; negative real parts (instance noise, R1) mean
convergence for a small enough lr.
"""

from __future__ import annotations

import cmath
import math
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from gan_lib.checks import check_choice, check_int, check_number

__all__ = ["DIRAC_METHODS", "DIRAC_UPDATES", "DiracGAN"]

DIRAC_METHODS = ("gan", "wgan-clip", "wgan-gp", "instance-noise", "r1")
DIRAC_UPDATES = ("simultaneous", "alternating")


@dataclass(frozen=True)
class DiracGAN:
    """One training method on the Dirac-GAN: its losses, vector field, Jacobian and iterates.

    Args:
        method: "gan" (non-saturating), "wgan-clip", "wgan-gp", "instance-noise" or "r1".
        clip: WGAN's weight clip c (psi stays in [-c, c]).
        gp_weight: WGAN-GP's lambda; gp_target its g0 (the paper's 1).
        noise_std: the instance noise's sigma.
        r1_weight: R1's gamma.
        quadrature_nodes: Gauss-Hermite nodes for the instance-noise expectations.
    """

    method: str = "gan"
    clip: float = 1.0
    gp_weight: float = 1.0
    gp_target: float = 1.0
    noise_std: float = 0.7
    r1_weight: float = 0.3
    quadrature_nodes: int = 32

    def __post_init__(self) -> None:
        check_choice("method", self.method, DIRAC_METHODS)
        check_number("clip", self.clip, low=0, low_open=True, hint="WGAN's weight clip c")
        check_number("gp_weight", self.gp_weight, low=0, hint="WGAN-GP's lambda")
        check_number("gp_target", self.gp_target, low=0, hint="WGAN-GP's target slope g0")
        check_number("noise_std", self.noise_std, low=0, hint="the instance noise's sigma")
        check_number("r1_weight", self.r1_weight, low=0, hint="R1's gamma")
        check_int("quadrature_nodes", self.quadrature_nodes, minimum=2)

    # -- the losses: everything else is derived from them -----------------------------------
    def _noise(self) -> tuple[torch.Tensor, torch.Tensor]:
        """Nodes and weights with sum_i w_i f(eps_i) ~ E f(eps), eps ~ N(0, noise_std^2)."""
        nodes, weights = np.polynomial.hermite_e.hermegauss(self.quadrature_nodes)
        return (torch.tensor(nodes * self.noise_std, dtype=torch.float64),
                torch.tensor(weights / weights.sum(), dtype=torch.float64))

    def losses(self, theta: torch.Tensor, psi: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(L_D, L_G) at (theta, psi): D descends L_D in psi, G descends L_G in theta."""
        zero = torch.zeros_like(theta)  # the data: a point mass at 0
        if self.method in ("wgan-clip", "wgan-gp"):
            loss_d = psi * theta - psi * zero  # E D(fake) - E D(real)
            if self.method == "wgan-gp":  # dD/dx = psi at every interpolate
                loss_d = loss_d + self.gp_weight * (psi.abs() - self.gp_target) ** 2
            return loss_d, -psi * theta
        if self.method == "instance-noise":
            eps, w = self._noise()
            loss_d = (w * (F.softplus(-psi * (zero + eps)) + F.softplus(psi * (theta + eps)))).sum()
            return loss_d, (w * F.softplus(-psi * (theta + eps))).sum()
        loss_d = F.softplus(-psi * zero) + F.softplus(psi * theta)  # -log D(real) - log(1 - D(fake))
        if self.method == "r1":  # (gamma / 2) |dD/dx|^2 on the real data
            loss_d = loss_d + self.r1_weight / 2 * psi**2
        return loss_d, F.softplus(-psi * theta)  # non-saturating: -log D(fake)

    def vector_field(self, point: torch.Tensor) -> torch.Tensor:
        """v(theta, psi) = (-dL_G/dtheta, -dL_D/dpsi) at point = (theta, psi), differentiable."""
        point = torch.as_tensor(point, dtype=torch.float64)
        if point.shape != (2,):
            raise ValueError(f"point must be (theta, psi), shape (2,), got {tuple(point.shape)}")
        if not point.requires_grad:
            point = point.clone().requires_grad_(True)
        theta, psi = point[0], point[1]
        loss_d, loss_g = self.losses(theta, psi)
        (g_theta,) = torch.autograd.grad(loss_g, theta, create_graph=True, retain_graph=True)
        (g_psi,) = torch.autograd.grad(loss_d, psi, create_graph=True)
        return -torch.stack([g_theta, g_psi])

    # -- the Jacobian at the equilibrium ----------------------------------------------------
    def jacobian(self) -> torch.Tensor:
        """dv/d(theta, psi) at (0, 0), numerically, by torch.autograd.functional.jacobian."""
        self._check_differentiable()
        origin = torch.zeros(2, dtype=torch.float64)
        return torch.autograd.functional.jacobian(self.vector_field, origin)

    def analytic_jacobian(self) -> torch.Tensor:
        """The Jacobian at (0, 0) in closed form (Mescheder et al. 2018, in this sign convention)."""
        self._check_differentiable()
        if self.method == "wgan-clip":  # the clip is inactive near (0, 0)
            return torch.tensor([[0.0, 1.0], [-1.0, 0.0]], dtype=torch.float64)
        damping = {"gan": 0.0, "instance-noise": -self.noise_std**2 / 2, "r1": -self.r1_weight}
        return torch.tensor([[0.0, 0.5], [-0.5, damping[self.method]]], dtype=torch.float64)

    def eigenvalues(self) -> tuple[complex, complex]:
        """The Jacobian's eigenvalues at (0, 0), in closed form.

        gan: +-i/2; wgan-clip: +-i; instance noise: -sigma^2/4 +- sqrt(sigma^4/16 - 1/4);
        r1: -gamma/2 +- sqrt(gamma^2/4 - 1/4) (the roots of lambda^2 - a lambda + 1/4 for the
        damping a on the diagonal).
        """
        self._check_differentiable()
        if self.method == "wgan-clip":
            return (1j, -1j)
        a = float(self.analytic_jacobian()[1, 1])
        root = cmath.sqrt(a * a / 4 - 0.25)
        return (a / 2 + root, a / 2 - root)

    def _check_differentiable(self) -> None:
        if self.method == "wgan-gp":
            raise ValueError(
                "wgan-gp has no Jacobian at the equilibrium: its penalty (|psi| - g0)^2 makes the "
                "vector field jump by 4 * gp_weight * gp_target across psi = 0; study its iterates "
                "with trajectory() instead")

    # -- gradient play ------------------------------------------------------------------------
    def trajectory(self, *, theta0: float = 1.0, psi0: float = 1.0, lr: float = 0.1,
                   steps: int = 500, update: str = "simultaneous", d_steps: int = 1) -> torch.Tensor:
        """The iterates (steps + 1, 2) of gradient play from (theta0, psi0).

        Args:
            theta0, psi0: the start.
            lr: step size of both players, > 0.
            steps: generator updates.
            update: "simultaneous" (both move from the same point) or "alternating" (D's
                `d_steps` updates first, then G against the updated D, the order of `fit`).
            d_steps: D updates per G update (alternating only).
        """
        check_number("lr", lr, low=0, low_open=True)
        check_int("steps", steps, minimum=0)
        check_choice("update", update, DIRAC_UPDATES)
        check_int("d_steps", d_steps, minimum=1)
        if update == "simultaneous" and d_steps != 1:
            raise ValueError("d_steps > 1 needs update='alternating' (D's extra steps come first)")
        point = torch.tensor([float(theta0), float(psi0)], dtype=torch.float64)
        path = [point]
        for _ in range(steps):
            if update == "simultaneous":
                point = self._clip(point + lr * self.vector_field(point).detach())
            else:
                for _ in range(d_steps):  # (1) D: psi moves, theta fixed
                    point = self._clip(point + lr * self.vector_field(point).detach() * _PSI)
                point = point + lr * self.vector_field(point).detach() * _THETA  # (2) G answers
            if not bool(torch.isfinite(point).all()):
                raise FloatingPointError(f"the iterates diverged to {point.tolist()}; lower lr")
            path.append(point)
        return torch.stack(path)

    def _clip(self, point: torch.Tensor) -> torch.Tensor:
        if self.method != "wgan-clip":
            return point
        return torch.stack([point[0], point[1].clamp(-self.clip, self.clip)])


_THETA = torch.tensor([1.0, 0.0], dtype=torch.float64)
_PSI = torch.tensor([0.0, 1.0], dtype=torch.float64)
