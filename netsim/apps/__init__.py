"""Programs: busybox tools inside containers and the docker CLI on the host.

Programs are generator functions ``main(proc)`` that use the kernel model's
sockets through :class:`~netsim.apps.process.Proc` and return an exit status.
"""
