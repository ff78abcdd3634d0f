// Placeholder: the Kernels module's first types arrive with their issue.
