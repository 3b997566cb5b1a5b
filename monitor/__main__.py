"""``python -m monitor`` runs the same CLI as the ``monitor`` console script."""

from monitor.cli import main

if __name__ == "__main__":  # not when a parse worker process imports this module
    main()
