"""The model catalogue: ``GET /ai/models`` and ``GET /ai/models/{id}``."""

from __future__ import annotations

from .errors import ApiError
from .models import MODELS, find_model
from .transport import HandlerBase


class ModelRoutes(HandlerBase):
    def _list_models(self) -> None:
        self._json(200, {"object": "list", "data": MODELS})

    def _get_model(self, model_id: str) -> None:
        model = find_model(model_id)
        if model is None:
            raise ApiError(404, f"Model not found: {model_id}", type=None)
        self._json(200, model)
