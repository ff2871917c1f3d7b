"""Docker storage: image layers, overlay2, volumes, bind mounts, tmpfs, ``docker cp``.

``tree`` (a directory tree), ``overlay`` (overlayfs: copy-up, whiteouts),
``layers`` (image layers and a container's init layer), ``volumes`` (the local
volume driver), ``mounts`` (``-v``/``--mount``/``--tmpfs`` and what is mounted
at start), ``archive`` (``docker cp`` rules), ``driver`` (the daemon's storage
facade: ``daemon.storage``), ``draw`` (a picture of a container's layer stack).
"""
