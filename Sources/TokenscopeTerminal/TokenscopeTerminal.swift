// Placeholder: the Terminal module's first types arrive with their issue.
import CNcursesw
