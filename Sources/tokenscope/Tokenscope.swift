import ArgumentParser

// MARK: - Root command

/// The `tokenscope` executable: the explorer (no subcommand) and the headless subcommands.
@main
struct Tokenscope: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenscope",
        abstract: "Watch a real language model think: tokens, attention, embeddings and sampling.",
        subcommands: [
            ExploreCommand.self,
            FetchCommand.self,
            InspectCommand.self,
            ModelsCommand.self,
            TokenizeCommand.self,
            PredictCommand.self,
            GenerateCommand.self,
            NeighborsCommand.self,
            AnalogyCommand.self,
            AttentionCommand.self,
            HeadsCommand.self,
            AttributeCommand.self,
            PatchCommand.self,
            OccludeCommand.self,
            EmbedCommand.self,
            SimilarityCommand.self,
            SearchCommand.self,
            RenderCommand.self,
            PresentCommand.self,
            LearnCommand.self,
            GlossaryCommand.self,
            BenchCommand.self,
        ],
        defaultSubcommand: ExploreCommand.self
    )
}
