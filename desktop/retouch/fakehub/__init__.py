"""A local stand-in for the Oxen.ai hub (standard library + Pillow only).

Used by the tests over loopback HTTP, by ``retouch --demo`` in-process and by
``retouch --self-test`` in the frozen app::

    from retouch.fakehub import FakeHub, Fault

    with FakeHub() as hub:
        hub.add_fault(Fault("status", status=429, retry_after=2))
        ...  # talk to hub.base_url

It answers like a real model: the first input stretched to the requested size, the whole
picture slightly redrawn (softened, colours drifted), the masked area strongly edited in
a colour that differs per result (``images.edited_pixel`` / ``images.redrawn_pixel`` say
what a flat area becomes). A mask of another size than the first input is refused (400).
The catalogue (``models.MODELS``) has gpt-image-2-edit (WxH ``resolution``), gpt-image-2
(``aspect_ratio`` x 1K/2K/4K, sizes in ``models.ASPECT_SIZES``) and test models.

Switches (``FakeHub(...)`` keywords, attributes, and ``retouch fakehub`` flags):
``list_schema`` (full/null/absent schemas in ``GET /ai/models`` entries),
``schema_field`` (serve every schema as ``request_schema`` or ``json_request_schema``),
``result_shape`` (``images[]``, OpenAI ``data[]`` or a top-level ``image_url``).
Fault kinds are listed in :mod:`retouch.fakehub.faults`.
"""

from .faults import FAULT_KINDS, Fault
from .hub import FakeHub
from .models import GPT_IMAGE_2, GPT_IMAGE_2_EDIT, MODELS, RESOLUTIONS
from .records import RecordedRequest, UploadedFile

__all__ = [
    "FAULT_KINDS",
    "GPT_IMAGE_2",
    "GPT_IMAGE_2_EDIT",
    "MODELS",
    "RESOLUTIONS",
    "FakeHub",
    "Fault",
    "RecordedRequest",
    "UploadedFile",
]
