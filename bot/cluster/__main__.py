"""`python -m bot.cluster` (`make cluster`): start the production profile on this machine until Ctrl-C."""
import os
import sys

from bot.cluster.cluster import Cluster
from bot.cluster.settings import ClusterSettings
from bot.launcher import serve


def main() -> int:
    settings = ClusterSettings()
    if not settings.model_path.exists():
        print(f"error: no trained model at {settings.model_path}; run `make train` first.")
        return 1
    cluster = Cluster(settings, dict(os.environ))
    return serve(cluster, "FAO Assistant cluster", cluster.urls)


if __name__ == "__main__":
    sys.exit(main())
