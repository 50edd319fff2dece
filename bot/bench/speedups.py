"""The speed-ups as first measured, switchable in the profiler's own process.

Both were adopted after this measurement: the cached validator is bot/rasa_patches.py (installed by the
Rasa server through bot/channels), and LinearModel.fit now stores Fortran-ordered coefficients. These
switches remain so that scripts/profile_turn.py and `bench.py --speedups` can still be run on a model
trained before the change; on current models they change nothing.
"""
from __future__ import annotations

import json
from typing import Any, Callable, Dict

import jsonschema

_validators: Dict[str, Any] = {}
_original_validate: Callable[..., None] = jsonschema.validate


def _cached_validate(instance: Any, schema: Dict[str, Any], cls: Any = None, *args: Any, **kwargs: Any) -> None:
    """jsonschema.validate without re-checking the schema and re-building the validator on every call.

    Rasa validates every action-server response with jsonschema.validate(result, schema), which first
    validates the (large, constant) events schema against its meta-schema; the result is the same each time.
    Raises the same best-matching ValidationError as jsonschema.validate.
    """
    key = json.dumps(schema, sort_keys=True, default=str)
    validator = _validators.get(key)
    if validator is None:
        validator_class = cls or jsonschema.validators.validator_for(schema)
        validator_class.check_schema(schema)
        validator = _validators[key] = validator_class(schema, *args, **kwargs)
    error = jsonschema.exceptions.best_match(validator.iter_errors(instance))
    if error is not None:
        raise error


def cache_schema_validation(enabled: bool = True) -> None:
    """Swap jsonschema.validate (Rasa imports it at call time, so the swap takes effect at once)."""
    jsonschema.validate = _cached_validate if enabled else _original_validate


def fortran_ordered_coefficients() -> None:
    """Give the linear intent classifier Fortran-ordered coefficients before it predicts.

    scikit-learn computes ``X @ coef_.T``; with ``coef_`` C-ordered (as trained) the transpose is copied
    on every prediction (70 x ~45 000 floats here). Fortran order makes the transpose a free view; the
    probabilities are the same.
    """
    import numpy as np

    from bot.nlu.linear_classifier import LinearModel

    original = LinearModel.probabilities
    if getattr(original, "_fortran", False):
        return

    def probabilities(self: LinearModel, message: Any) -> Dict[str, float]:
        if not self.classifier.coef_.flags["F_CONTIGUOUS"]:
            self.classifier.coef_ = np.asfortranarray(self.classifier.coef_)
        return original(self, message)

    probabilities._fortran = True  # type: ignore[attr-defined]
    LinearModel.probabilities = probabilities  # type: ignore[method-assign]
