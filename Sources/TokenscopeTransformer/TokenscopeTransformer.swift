// Placeholder: the Transformer module's first types arrive with their issue.
