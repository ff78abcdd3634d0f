// MARK: - Chat templates

/// One turn of a conversation.
public struct ChatMessage: Sendable, Equatable {
    /// Who speaks.
    public enum Role: String, Sendable { case system, user, assistant }
    /// The speaker.
    public let role: Role
    /// What they say.
    public let content: String

    /// Creates a message.
    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }
}

/// Renders a conversation in a model's chat format, so the exact special tokens can be shown.
public struct ChatTemplate: Sendable {
    /// The system turn inserted when a conversation does not start with one.
    public let defaultSystemPrompt: String?

    /// ChatML as SmolLM2 uses it (`<|im_start|>role\n…<|im_end|>\n`), with SmolLM2's default system turn.
    public static let chatML = ChatTemplate(
        defaultSystemPrompt: "You are a helpful AI assistant named SmolLM, trained by Hugging Face")

    /// The text of `messages`, ending with `<|im_start|>assistant\n` when `addGenerationPrompt`.
    public func render(_ messages: [ChatMessage], addGenerationPrompt: Bool) -> String {
        var out = ""
        if messages.first?.role != .system, let system = defaultSystemPrompt {
            out += "<|im_start|>system\n\(system)<|im_end|>\n"
        }
        for message in messages {
            out += "<|im_start|>\(message.role.rawValue)\n\(message.content)<|im_end|>\n"
        }
        if addGenerationPrompt { out += "<|im_start|>assistant\n" }
        return out
    }
}
