"""A local emulator of the USGS M2M and Carbon Mapper APIs for tests, benchmarks and the demo.

Not part of the plugin zip. Start it from Python with :class:`Emulator` (a context manager)
or from the command line with ``python -m scene_finder.emulator`` (``make emulator``).
"""

from .server import Emulator

__all__ = ["Emulator"]
