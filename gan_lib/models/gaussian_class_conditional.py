"""A Gaussian class-conditional model: the textbook generative classifier.

It models the joint P(x, y) = P(y) N(x; mu_y, Sigma_y): a prior over classes and one Gaussian per
class. Classification goes through Bayes' rule, P(y | x) = P(x, y) / sum_y' P(x, y'); and because
it is a model of x, it can also *sample* new x, something a discriminative model cannot do.

Covariance choices:
- "full":     one full Sigma_y per class (quadratic discriminant analysis);
- "shared":   one Sigma for all classes (linear discriminant analysis: linear boundaries);
- "diagonal": independent features given the class (Gaussian naive Bayes).
"""

from __future__ import annotations

import math

import torch

__all__ = ["GaussianClassConditional", "COVARIANCE_TYPES"]

COVARIANCE_TYPES = ("full", "shared", "diagonal")


class GaussianClassConditional:
    """P(y) times a Gaussian P(x | y), fitted by maximum likelihood.

    Args:
        covariance: "full", "shared" or "diagonal".
        reg: added to every variance; keeps Sigma invertible where pixels never vary (MNIST's
            borders are constant, so their variance is exactly 0).
    """

    def __init__(self, *, covariance: str = "full", reg: float = 1e-2):
        if covariance not in COVARIANCE_TYPES:
            raise ValueError(
                f"unknown covariance {covariance!r}; choose one of {', '.join(COVARIANCE_TYPES)}"
            )
        if reg < 0:
            raise ValueError(f"reg must be >= 0, got {reg}")
        self.covariance = covariance
        self.reg = reg

    def fit(self, x: torch.Tensor, y: torch.Tensor) -> "GaussianClassConditional":
        """Maximum-likelihood priors, means and covariances from `x` (N, D...) and labels (N,)."""
        x = x.reshape(len(x), -1).double()
        self.classes = torch.unique(y)
        d = x.shape[1]
        self.log_prior = torch.stack([(y == c).double().mean() for c in self.classes]).log()
        self.means = torch.stack([x[y == c].mean(0) for c in self.classes])
        eye = torch.eye(d, dtype=torch.float64, device=x.device)
        if self.covariance == "diagonal":
            var = torch.stack([x[y == c].var(0, unbiased=False) for c in self.classes])
            self.scale_tril = torch.diag_embed((var + self.reg).sqrt())
        else:
            covs = torch.stack([torch.cov(x[y == c].T, correction=0) for c in self.classes])
            if self.covariance == "shared":
                weights = self.log_prior.exp()[:, None, None]
                covs = (weights * covs).sum(0, keepdim=True).expand_as(covs)
            self.scale_tril = torch.linalg.cholesky(covs + self.reg * eye)
        return self

    def log_joint(self, x: torch.Tensor) -> torch.Tensor:
        """log P(x, y) for every class: (N, K)."""
        x = x.reshape(len(x), -1).double()
        d = x.shape[1]
        out = []
        for k in range(len(self.classes)):
            # Mahalanobis distance through the Cholesky factor: solve L u = x - mu, use ||u||^2
            u = torch.linalg.solve_triangular(
                self.scale_tril[k], (x - self.means[k]).T, upper=False
            )
            log_det = 2 * self.scale_tril[k].diagonal().log().sum()
            log_lik = -0.5 * (u.square().sum(0) + log_det + d * math.log(2 * math.pi))
            out.append(self.log_prior[k] + log_lik)
        return torch.stack(out, 1)

    def log_density(self, x: torch.Tensor) -> torch.Tensor:
        """log P(x) = log sum_y P(x, y): the model's density of the data itself, (N,)."""
        return torch.logsumexp(self.log_joint(x), 1)

    def predict_proba(self, x: torch.Tensor) -> torch.Tensor:
        """P(y | x) by Bayes' rule, (N, K)."""
        return torch.softmax(self.log_joint(x), 1)

    def predict(self, x: torch.Tensor) -> torch.Tensor:
        """The class with the largest posterior, (N,)."""
        return self.classes[self.log_joint(x).argmax(1)]

    def sample(
        self, n: int, *, label: int | None = None, generator: torch.Generator | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Draw (x, y) from the model: y ~ P(y) (or fixed to `label`), then x ~ N(mu_y, Sigma_y).

        Returns:
            x: float32 (n, D); y: int64 (n,).
        """
        # draws on the CPU (a CPU generator works on any device), then moved to the model's device
        if label is None:
            idx = torch.multinomial(self.log_prior.exp().cpu(), n, replacement=True,
                                    generator=generator).to(self.means.device)
        else:
            matches = (self.classes == label).nonzero()
            if len(matches) == 0:
                raise ValueError(f"label {label} was not in the training labels {self.classes.tolist()}")
            idx = matches[0].expand(n)
        noise = torch.randn(n, self.means.shape[1], generator=generator, dtype=torch.float64)
        noise = noise.to(self.means.device)
        x = self.means[idx] + (self.scale_tril[idx] @ noise[:, :, None]).squeeze(-1)
        return x.float(), self.classes[idx]
