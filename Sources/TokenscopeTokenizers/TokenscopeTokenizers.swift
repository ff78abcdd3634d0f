// Placeholder: the Tokenizers module's first types arrive with their issue.
