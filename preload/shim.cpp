// Placeholder: the shim that records the process's metadata lands with the snapshot writer.
