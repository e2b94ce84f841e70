"""A local stand-in for the Oxen.ai hub (standard library + Pillow only).

Used by the tests over loopback HTTP, by ``retouch --demo`` in-process and by
``retouch --self-test`` in the frozen app::

    from retouch.fakehub import FakeHub, Fault

    with FakeHub() as hub:
        hub.add_fault(Fault("status", status=429, retry_after=2))
        ...  # talk to hub.base_url
"""

from .faults import FAULT_KINDS, Fault
from .hub import FakeHub
from .models import GPT_IMAGE_2_EDIT, MODELS, RESOLUTIONS
from .records import RecordedRequest, UploadedFile

__all__ = [
    "FAULT_KINDS",
    "GPT_IMAGE_2_EDIT",
    "MODELS",
    "RESOLUTIONS",
    "FakeHub",
    "Fault",
    "RecordedRequest",
    "UploadedFile",
]
