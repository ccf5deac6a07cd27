"""gan_lib.theory.dirac_gan: the Dirac-GAN's fields, Jacobians and iterates match the analysis.

Mescheder, Geiger & Nowozin (2018): the unregularised GAN and WGAN have purely imaginary
eigenvalues at the equilibrium and do not converge; WGAN-GP does not converge either; instance
noise and the R1 penalty give eigenvalues with negative real parts and converge.
"""

import math

import pytest
import torch

from gan_lib.theory import DIRAC_METHODS, DiracGAN

SMOOTH = ("gan", "wgan-clip", "instance-noise", "r1")
s = torch.sigmoid


@pytest.mark.parametrize("method", SMOOTH)
def test_autograd_jacobian_equals_the_closed_form(method):
    game = DiracGAN(method=method, noise_std=0.8, r1_weight=0.6)
    torch.testing.assert_close(game.jacobian(), game.analytic_jacobian(), atol=1e-10, rtol=0)
    # and the closed-form eigenvalues are those of the numerical Jacobian
    numeric = sorted(torch.linalg.eigvals(game.jacobian()).tolist(), key=lambda z: z.imag)
    closed = sorted(game.eigenvalues(), key=lambda z: z.imag)
    for a, b in zip(numeric, closed):
        assert abs(a - b) < 1e-9


def test_eigenvalues_match_the_papers_formulas():
    assert DiracGAN(method="gan").eigenvalues() == (0.5j, -0.5j)  # +- i f'(0), f'(0) = 1/2
    assert DiracGAN(method="wgan-clip").eigenvalues() == (1j, -1j)
    sigma, gamma = 0.7, 0.3
    lam = DiracGAN(method="instance-noise", noise_std=sigma).eigenvalues()[0]
    # f''(0) sigma^2 +- sqrt(f''(0)^2 sigma^4 - f'(0)^2), f''(0) = -1/4
    assert lam.real == pytest.approx(-sigma**2 / 4)
    assert lam.imag == pytest.approx(math.sqrt(0.25 - sigma**4 / 16))
    lam = DiracGAN(method="r1", r1_weight=gamma).eigenvalues()[0]  # -gamma/2 +- sqrt(gamma^2/4 - 1/4)
    assert lam.real == pytest.approx(-gamma / 2)
    assert lam.imag == pytest.approx(math.sqrt(0.25 - gamma**2 / 4))
    # strong damping: two real, negative eigenvalues
    a, b = DiracGAN(method="r1", r1_weight=2.0).eigenvalues()
    assert a.imag == b.imag == 0 and a.real < 0 and b.real < 0


def test_real_parts_separate_the_methods():
    for method in ("gan", "wgan-clip"):
        assert all(z.real == 0 for z in DiracGAN(method=method).eigenvalues())
    for method in ("instance-noise", "r1"):
        assert all(z.real < 0 for z in DiracGAN(method=method).eigenvalues())
    with pytest.raises(ValueError, match="no Jacobian"):
        DiracGAN(method="wgan-gp").jacobian()


def test_vector_fields_have_the_closed_forms():
    point = torch.tensor([0.7, -1.3], dtype=torch.float64)
    t, p = point
    torch.testing.assert_close(DiracGAN(method="gan").vector_field(point).detach(),
                               torch.stack([p * s(-p * t), -t * s(p * t)]))
    torch.testing.assert_close(DiracGAN(method="r1", r1_weight=0.4).vector_field(point).detach(),
                               torch.stack([p * s(-p * t), -t * s(p * t) - 0.4 * p]))
    torch.testing.assert_close(DiracGAN(method="wgan-clip").vector_field(point).detach(),
                               torch.stack([p, -t]))
    lam, g0 = 0.5, 1.0
    torch.testing.assert_close(DiracGAN(method="wgan-gp", gp_weight=lam).vector_field(point).detach(),
                               torch.stack([p, -t - 2 * lam * (p.abs() - g0) * p.sign()]))
    # instance noise with sigma -> 0 is the plain GAN
    torch.testing.assert_close(DiracGAN(method="instance-noise", noise_std=0.0).vector_field(point),
                               DiracGAN(method="gan").vector_field(point))


def test_instance_noise_quadrature_is_an_expectation():
    # E_eps[(theta + eps) s(psi (theta + eps))] by Monte Carlo against the quadrature's field
    game = DiracGAN(method="instance-noise", noise_std=0.5)
    theta, psi = 0.3, 0.8
    eps = torch.randn(2_000_000, generator=torch.Generator().manual_seed(0), dtype=torch.float64) * 0.5
    v_theta = (psi * s(-psi * (theta + eps))).mean()
    v_psi = (eps * s(-psi * eps)).mean() - ((theta + eps) * s(psi * (theta + eps))).mean()
    v = game.vector_field(torch.tensor([theta, psi])).detach()
    torch.testing.assert_close(v, torch.stack([v_theta, v_psi]), atol=2e-3, rtol=0)


def test_wgan_gp_field_jumps_at_psi_zero_and_does_not_vanish():
    lam, g0 = 0.5, 1.0
    game = DiracGAN(method="wgan-gp", gp_weight=lam, gp_target=g0)
    up = game.vector_field(torch.tensor([0.0, 1e-9])).detach()
    down = game.vector_field(torch.tensor([0.0, -1e-9])).detach()
    assert up[1].item() == pytest.approx(2 * lam * g0) and down[1].item() == pytest.approx(-2 * lam * g0)


def test_plain_gan_spirals_out_from_near_the_equilibrium():
    path = DiracGAN(method="gan").trajectory(theta0=0.05, psi0=0.05, lr=0.1, steps=1000)
    r = path.norm(dim=1)
    assert r[-1] > 2 * r[0]
    # in the linear regime each simultaneous step multiplies r by about |1 + lr i / 2|
    assert (r[10] / r[0]).item() == pytest.approx(abs(1 + 0.05j) ** 10, rel=1e-3)


def test_alternating_plain_gan_does_not_converge_either():
    path = DiracGAN(method="gan").trajectory(theta0=0.1, psi0=0.1, lr=0.1, steps=1000,
                                             update="alternating")
    assert path.norm(dim=1)[-1] > 0.5 * path.norm(dim=1)[0]


@pytest.mark.parametrize("method", ("wgan-clip", "wgan-gp"))
def test_wasserstein_variants_do_not_converge(method):
    game = DiracGAN(method=method, gp_weight=0.5, clip=1.0)
    for update in ("simultaneous", "alternating"):
        path = game.trajectory(theta0=0.2, psi0=0.2, lr=0.1, steps=800, update=update)
        assert path[-200:].norm(dim=1).min() > 0.1, (method, update)


def test_clip_holds_psi_in_range():
    path = DiracGAN(method="wgan-clip", clip=0.3).trajectory(theta0=1.0, psi0=0.0, lr=0.1, steps=300)
    assert path[:, 1].abs().max() <= 0.3 + 1e-12


def test_wgan_gp_with_a_large_penalty_stalls_at_theta_2_lambda_g0():
    # for psi > 0 the field vanishes at (2 lam g0, 0): the penalty and the critic balance there
    lam = 1.0
    path = DiracGAN(method="wgan-gp", gp_weight=lam).trajectory(theta0=0.2, psi0=0.2, lr=0.1, steps=500)
    assert abs(path[-1, 0].item()) == pytest.approx(2 * lam, abs=1e-3)


@pytest.mark.parametrize("method", ("instance-noise", "r1"))
def test_regularised_gans_converge(method):
    game = DiracGAN(method=method)
    for update in ("simultaneous", "alternating"):
        path = game.trajectory(theta0=1.0, psi0=1.0, lr=0.1, steps=800, update=update)
        assert path[-1].norm() < 1e-2 * path[0].norm(), (method, update)
        assert path[-1].norm() < path[-101].norm()  # still closing in


def test_simultaneous_step_is_one_euler_step_of_the_field():
    game = DiracGAN(method="r1")
    start = torch.tensor([0.4, -0.2], dtype=torch.float64)
    step = game.trajectory(theta0=0.4, psi0=-0.2, lr=0.05, steps=1)[1]
    torch.testing.assert_close(step, start + 0.05 * game.vector_field(start).detach())


def test_alternating_moves_d_first():
    game = DiracGAN(method="wgan-clip", clip=10.0)  # v = (psi, -theta)
    step = game.trajectory(theta0=1.0, psi0=0.0, lr=0.1, steps=1, update="alternating")[1]
    assert step[1].item() == pytest.approx(-0.1)  # psi' = psi - lr theta
    assert step[0].item() == pytest.approx(1.0 - 0.01)  # theta' = theta + lr psi'


def test_bad_settings_raise_clear_errors():
    with pytest.raises(ValueError, match="method"):
        DiracGAN(method="lsgan")
    with pytest.raises(ValueError, match="noise_std"):
        DiracGAN(method="instance-noise", noise_std=-1.0)
    with pytest.raises(ValueError, match="alternating"):
        DiracGAN().trajectory(d_steps=5)
    with pytest.raises(ValueError, match="shape"):
        DiracGAN().vector_field(torch.zeros(3))
    assert set(DIRAC_METHODS) == {"gan", "wgan-clip", "wgan-gp", "instance-noise", "r1"}
