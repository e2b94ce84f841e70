"""The model catalogue: ``GET /ai/models`` and ``GET /ai/models/{id}``.

What a list entry carries of its schema, and under which name, is the hub's setting
(``FakeHub.list_schema``, ``FakeHub.schema_field``); a model's own entry is always whole.
"""

from __future__ import annotations

from .errors import ApiError
from .models import MODELS, find_model, served_model
from .transport import HandlerBase


class ModelRoutes(HandlerBase):
    def _list_models(self) -> None:
        hub = self.hub
        data = [
            served_model(m, schema_field=hub.schema_field, schema=hub.list_schema) for m in MODELS
        ]
        self._json(200, {"object": "list", "data": data})

    def _get_model(self, model_id: str) -> None:
        model = find_model(model_id)
        if model is None:
            raise ApiError(404, f"Model not found: {model_id}", type=None)
        self._json(200, served_model(model, schema_field=self.hub.schema_field))
