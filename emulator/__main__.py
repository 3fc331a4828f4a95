"""``python -m scene_finder.emulator``: run the emulator in the foreground."""

from __future__ import annotations

import argparse
import sys

from .link import LinkShape
from .server import Emulator, EmulatorConfig


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Scene Finder's emulator of the USGS M2M and Carbon Mapper APIs.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    parser.add_argument("--landsat-scenes", type=int, default=EmulatorConfig.landsat_scenes)
    parser.add_argument("--carbonmapper-scenes", type=int, default=EmulatorConfig.carbonmapper_scenes)
    parser.add_argument("--carbonmapper-plumes", type=int, default=EmulatorConfig.carbonmapper_plumes)
    parser.add_argument("--prepare-polls", type=int, default=EmulatorConfig.prepare_polls)
    parser.add_argument("--prepare-seconds", type=float, default=EmulatorConfig.prepare_seconds,
                        help="a preparing download also takes this long (besides --prepare-polls)")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="latency added to every answer")
    parser.add_argument("--bandwidth-mbit", type=float, default=0.0,
                        help="one cap for all answers' bodies, in Mbit/s (0: none)")
    args = parser.parse_args(argv)
    emulator = Emulator(
        args.host, args.port,
        landsat_scenes=args.landsat_scenes,
        carbonmapper_scenes=args.carbonmapper_scenes,
        carbonmapper_plumes=args.carbonmapper_plumes,
        prepare_polls=args.prepare_polls,
        prepare_seconds=args.prepare_seconds,
        shape=LinkShape(args.latency_ms, args.bandwidth_mbit),
    ).start()
    config = emulator.config
    user, token = next(iter(config.m2m_accounts.items()))
    print(f"M2M:           {emulator.m2m_url}", flush=True)
    print(f"Carbon Mapper: {emulator.carbonmapper_url}", flush=True)
    print(f"Files:         {emulator.files_url}", flush=True)
    print(f"M2M login: username={user} token={token}; Carbon Mapper token: "
          f"{next(iter(config.carbonmapper_tokens))}", flush=True)
    print("Press Ctrl+C to stop.", file=sys.stderr, flush=True)
    emulator.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
