// Placeholder: the Explorer module's first types arrive with their issue.
import TokenscopeTransformer
