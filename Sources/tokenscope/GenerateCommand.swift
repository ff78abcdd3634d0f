import ArgumentParser
import Foundation
import TokenscopeTokenizers
import TokenscopeKernels
import TokenscopeTransformer

/// `tokenscope generate`: samples text token by token and streams it.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "generate", abstract: "Generate text token by token.")

    @OptionGroup var modelOptions: ModelOptions
    @Argument(help: "The prompt (raw, or a user turn with --chat).") var prompt: String
    @Option(name: .shortAndLong, help: "Most tokens to generate.") var n: Int = 64
    @Option(name: .long, help: "Temperature; 0 is greedy.") var temperature: Float = 0.8
    @Option(name: .long, help: "Keep the K most likely tokens (0 = off).") var topK: Int = 40
    @Option(name: .long, help: "Nucleus mass to keep (1 = off).") var topP: Float = 0.95
    @Option(name: .long, help: "Drop tokens below this fraction of the best one (0 = off).") var minP: Float = 0.05
    @Option(name: .long, help: "Seed for the draws; the same seed replays the same text.") var seed: UInt64 = 42
    @Flag(name: .long, help: "Wrap the prompt as a ChatML user turn and generate the assistant's reply.") var chat = false
    @Flag(name: .long, help: "Print one JSON object per token: {\"id\", \"token\", \"text\", \"prob\"}.") var json = false

    struct Step: Encodable { let id: Int; let token: String; let text: String; let prob: Double }

    func validate() throws {
        guard n >= 0 else { throw ValidationError("-n must not be negative") }
        if let problem = SamplerSettings(temperature: temperature, topK: topK, topP: topP, minP: minP, seed: seed).problem {
            throw ValidationError(problem)
        }
    }

    func run() throws {
        let model = try modelOptions.loadModel()
        let ids = chat
            ? model.tokenizer.encode(ChatTemplate.chatML.render([ChatMessage(role: .user, content: prompt)], addGenerationPrompt: true), parseSpecial: true)
            : model.promptTokens(prompt)
        let settings = SamplerSettings(temperature: temperature, topK: topK, topP: topP, minP: minP, seed: seed)
        let session = InferenceSession(model: model, options: .off)
        session.activations = .decodingDefault
        var logits: [Float]
        do { logits = try session.append(ids) } catch { throw CommandFailure(error.description) }
        var decoder = StreamingDecoder(tokenizer: model.tokenizer)
        let out = FileHandle.standardOutput
        for _ in 0..<n {
            let result = Sampler.sample(logits: logits, settings: settings, position: session.count, listing: 1)
            let id = result.chosenID
            let isEnd = model.tokenizer.eosIDs.contains(id)
            let text = isEnd ? "" : decoder.append(id)
            if json {
                try printJSON(Step(id: id, token: model.tokenizer.tokenString(id), text: model.tokenizer.decode([id]),
                                   prob: result.chosen?.probability ?? 0))
            } else {
                out.write(Data(text.utf8))
            }
            if isEnd { break }
            if session.count >= model.configuration.contextLength {
                let limit = model.configuration.contextLength
                if !json { out.write(Data((decoder.flush() + "\n").utf8)) }
                FileHandle.standardError.write(Data(
                    "note: stopped at the context limit: the sequence has \(session.count) of \(limit) tokens\n".utf8))
                return
            }
            do { logits = try session.append([id]) } catch { throw CommandFailure(error.description) }
        }
        if !json { out.write(Data((decoder.flush() + "\n").utf8)) }
    }
}
