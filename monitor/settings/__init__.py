"""The settings stage: ``monitor.toml`` + ``MONITOR_*`` variables + ``*_file`` secrets,
validated into frozen settings (``load``), against one schema of keys (``schema``)."""
