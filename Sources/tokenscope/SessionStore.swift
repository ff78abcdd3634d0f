import Foundation
import TokenscopeExplorer
import TokenscopeUI

// MARK: - The last session, for --resume

/// What `--resume` brings back: the prompt, the generated tokens, the view, the selection, the
/// sampler settings and the side by side's second prompt, kept in `${XDG_STATE_HOME:-~/.local/state}/tokenscope/last-session.json`.
struct SavedSession: Codable, Equatable {
    var prompt: String
    var chat: Bool
    /// Ids of the generated tokens, in order.
    var generated: [Int]
    var view: String
    /// The selected token, layer and head, from 0 (as the screens count them).
    var token: Int
    var layer: Int
    var head: Int
    var temperature: Float
    var topK: Int
    var topP: Float
    var minP: Float
    var seed: UInt64
    var presenting: Bool
    /// The second prompt (B) of the side by side when it is open; nil when closed (and in files
    /// saved before B was kept).
    var secondPrompt: String?

    /// The session shown by `state`.
    init(_ state: AppState) {
        prompt = state.prompt
        chat = state.chat
        generated = state.tokens.filter(\.generated).map(\.id)
        view = state.view.rawValue
        token = state.selected
        layer = state.layer
        head = state.head
        temperature = state.settings.temperature
        topK = state.settings.topK
        topP = state.settings.topP
        minP = state.settings.minP
        seed = state.settings.seed
        presenting = state.presenting
        secondPrompt = state.secondPrompt.isOpen && !state.secondPrompt.prompt.isEmpty ? state.secondPrompt.prompt : nil
    }

    /// The setup that brings the session back after its prompt has run.
    var setup: Setup {
        var setup = Setup()
        setup.chat = chat ? true : nil
        setup.generated = generated
        setup.view = ViewKind(rawValue: view)
        setup.token = .position(token)
        setup.layer = layer
        setup.head = head
        setup.temperature = temperature
        setup.topK = topK
        setup.topP = topP
        setup.minP = minP
        setup.seed = seed
        setup.presenting = presenting ? true : nil
        setup.secondPrompt = secondPrompt
        return setup
    }

    /// `${XDG_STATE_HOME:-~/.local/state}/tokenscope/last-session.json`.
    static var path: String {
        let environment = ProcessInfo.processInfo.environment
        let state = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        return state + "/tokenscope/last-session.json"
    }

    /// Writes the session; returns an error message instead of throwing (quitting goes on).
    func save(to path: String = SavedSession.path) -> String? {
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
            return nil
        } catch {
            return "could not save the session in \(path): \((error as NSError).localizedDescription)"
        }
    }

    /// Reads the last session, or fails naming the file.
    static func load(from path: String = SavedSession.path) throws -> SavedSession {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure("--resume: no saved session at \(path) (one is saved when the explorer quits)")
        }
        do {
            return try JSONDecoder().decode(SavedSession.self, from: data)
        } catch {
            throw CommandFailure("--resume: \(path) is not a saved session: \(error)")
        }
    }
}
