"""Uncertainty over the steps before the weights (COINr's ``get_sensitivity`` over any address of the log): a model
that holds every region's leaf scores under each combination of a study's other choices of missing-value policy,
outlier treatment, denominators and, for a study of records, indicator definition variant
(:meth:`livecommerce.Study.rebuild`; each variant's panel is computed once, when the study is built), so that the
Monte Carlo and Sobol' analyses draw them as they draw weights (``Uncertainty(steps=...)``), each step one input with
its own Sobol' index. Leaving a component out (``drop``) needs no scores of its own: the sampler sets its weight to 0.
"""

from dataclasses import replace
from itertools import product

import pandas as pd

from livecommerce import arguments
from livecommerce.errors import ParameterError
from livecommerce.index import model as models
from livecommerce.study.study import Study

__all__ = ["STEPS", "step_model"]

STEPS = ("missing", "treat", "denominators", "variant")
"""The steps whose options a step model rebuilds the study under (``drop`` is drawn on the weights)."""


def _options(step: str, spec) -> dict:
    """A step's options by label: a list of names (``missing`` policies, ``treat`` methods) or ``{label: choice}``
    (``choice`` as :meth:`Study.rebuild` takes it: None for the study's own; ``variant``: names of
    ``scheme.variants``)."""
    arguments.choice(step, "steps", STEPS)
    if isinstance(spec, dict):
        options = dict(spec)
    else:
        options = {name: name for name in arguments.names(spec, f"steps: {step}")}
    if not options or not all(isinstance(label, str) and models.VARIANT not in label for label in options):
        raise ParameterError(f"steps: {step} needs one option or more, each labelled by a name without '|'")
    return options


def step_model(study: Study, steps: dict, normalisations=None, methods=("nominal",)) -> models.Model:
    """The sensitivity model of ``study`` with leaf scores under every combination of the ``steps``' options
    (``{step: options}``, steps of :data:`STEPS`, options as :func:`_options` reads them; the first option of each is
    the centre of the analysis: give the study's own first) and of ``normalisations`` (the scheme's own by default).
    Nominal and alternative weights are the study's; a combination must keep the study's regions."""
    if not isinstance(study, Study) or study.raw is None:
        raise ParameterError("study must be a Study of a raw panel (Study.build with a panel file or frame)")
    options = {step: _options(step, spec) for step, spec in arguments.mapping(steps, "steps").items()}
    base = study.model(methods)
    normalisations = (
        [study.scheme.normalisation["method"]]
        if normalisations is None
        else arguments.names(normalisations, "normalisations")
    )
    scores = {}
    for combination in product(*(list(o.items()) for o in options.values())):
        chosen = dict(zip(options, combination))
        rebuilt = study.rebuild(**{step: choice for step, (_, choice) in chosen.items() if choice is not None})
        if not rebuilt.regions.equals(study.regions):
            lost = study.regions.difference(rebuilt.regions)
            where = ", ".join(f"{step}={label!r}" for step, (label, _) in chosen.items())
            raise ParameterError(f"steps: {where} leaves out region(s) {', '.join(lost)}: the regions must stay")
        own = rebuilt.nominal  # its scheme's normalisation; another needs the indicators normalised again
        leaves = (
            own
            if normalisations == own.normalisations
            else models.from_panel(rebuilt.inputs, rebuilt.scheme, normalisations)
        )
        for normalisation, matrix in leaves.scores.items():
            key = models.variant(normalisation, {step: label for step, (label, _) in chosen.items()})
            scores[key] = pd.DataFrame(matrix, index=leaves.regions).reindex(base.regions).to_numpy()
    variants = {step: tuple(o) for step, o in options.items()}
    return replace(base, scores=scores, variants=variants)
