"""ops: the operations log of interagency mobile teams and border liaison offices.

The application is built by `ops.app.create_app`; this package file imports nothing, so that importing
one module of a lower floor never loads the floors above it.
"""
