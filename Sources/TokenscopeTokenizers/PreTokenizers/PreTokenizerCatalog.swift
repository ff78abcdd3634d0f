// MARK: - Every pre-tokenizer GGUF files name

/// The pre-tokenizers llama.cpp knows, by the `tokenizer.ggml.pre` name its converter writes, with
/// the split stages of each (the same patterns, in the same order, that llama.cpp applies) and
/// the older or sibling names as aliases. Generated from the patterns of llama.cpp's vocabulary
/// loader and checked against its tokenizer test vocabularies
/// (`Tests/Reference/tokenizers/run_llamacpp_vocab_suite.py`).
public enum PreTokenizerCatalog {
    /// Every canonical name Tokenscope implements, sorted.
    public static let names: [String] = [
        "bailingmoe",
        "bloom",
        "chameleon",
        "chatglm-bpe",
        "codeshell",
        "command-r",
        "dbrx",
        "deepseek-coder",
        "deepseek-llm",
        "deepseek-v3",
        "default",
        "exaone",
        "exaone-moe",
        "falcon",
        "gpt-2",
        "gpt-4o",
        "gpt3-finnish",
        "granite-docling",
        "granite-embed-multi-97m",
        "grok-2",
        "hunyuan",
        "hunyuan-dense",
        "hy_v4",
        "jais",
        "jais-2",
        "joyai-llm",
        "laguna",
        "llama-bpe",
        "mellum2",
        "minerva-7b",
        "minicpm5",
        "minimax-m2",
        "mpt",
        "olmo",
        "poro-chat",
        "qwen2",
        "qwen35",
        "refact",
        "seed-coder",
        "smaug-bpe",
        "smollm",
        "solar-open",
        "spark2_5",
        "stablelm2",
        "starcoder",
        "tekken",
        "trillion",
        "ufakzeka",
        "viking",
        "youtu",
    ]

    /// Other names files carry → the canonical name they share a pattern with.
    public static let aliases: [String: String] = [
        "gpt2": "gpt-2",  // Tokenscope's earlier name
        "a.x-4.0": "gpt-2",
        "bailingmoe2": "bailingmoe",
        "cohere2moe": "tiny_aya",
        "deepseek-r1-qwen": "qwen2",
        "exaone4": "gpt-2",
        "f2llmv2": "qwen2",
        "falcon-h1": "llama-bpe",
        "falcon3": "llama-bpe",
        "gigachat": "gpt-2",
        "glm4": "chatglm-bpe",
        "glm5": "chatglm-bpe",
        "granite-embed-multi-311m": "gemma4",
        "jina-de": "gpt-2",
        "jina-es": "gpt-2",
        "jina-v1-en": "gpt-2",
        "jina-v2-code": "gpt-2",
        "jina-v2-de": "gpt-2",
        "jina-v2-es": "gpt-2",
        "jina-v5-nano": "llama-bpe",
        "kanana2": "gpt-4o",
        "kormo": "qwen2",
        "lfm2": "llama-bpe",
        "llada-moe": "bailingmoe",
        "llama-v3": "llama-bpe",
        "llama3": "llama-bpe",
        "llama4": "gpt-4o",
        "megrez": "qwen2",
        "mellum": "gpt-2",
        "midm-2.0": "llama-bpe",
        "modern-bert": "gpt-2",
        "phi-2": "gpt-2",
        "pixtral": "llama-bpe",
        "roberta-bpe": "gpt-2",
        "talkie": "gpt-4o",
    ]

    /// Names llama.cpp knows whose splitting is not a plain pattern, with what they need instead:
    /// errors name them rather than calling them unknown.
    public static let unsupported: [String: String] = [
        "afmoe": "digit grouping by length",
        "cohere2moe": "digit grouping by lookahead",
        "gemma4": "BPE on raw UTF-8 with ▁ for spaces",
        "granite-embed-multi-311m": "BPE on raw UTF-8 with ▁ for spaces",
        "kimi-k2": "a Han/Latin splitter of its own",
        "sarvam-moe": "BPE on raw UTF-8 with ▁ for spaces",
        "superbpe": "digit grouping by empty matches",
        "tiny_aya": "digit grouping by lookahead",
        "whitespace": "BPE on raw UTF-8",
    ]

    /// Names whose words are looked up whole in the vocabulary before merging (`ignore_merges`).
    static let ignoringMerges: Set<String> = ["falcon-h1", "falcon3", "glm4", "glm5", "granite-embed-multi-97m", "jina-v5-nano", "lfm2", "llama-bpe", "llama-v3", "llama3", "midm-2.0", "minicpm5", "pixtral", "tekken", "youtu"]

    /// The pre-tokenizer `name` stands for (a canonical name or an alias; an empty name is
    /// llama.cpp's `default`), or nil when Tokenscope does not implement it.
    public static func named(_ name: String) -> PreTokenizer? {
        let canonical = name.isEmpty ? "default" : (aliases[name] ?? name)
        guard let stages = try? stages(canonical) else { return nil }
        return PreTokenizer(
            name: name.isEmpty ? "default" : name, family: canonical, stages: stages,
            ignoresMerges: ignoringMerges.contains(name) || ignoringMerges.contains(canonical))
    }

    // MARK: Stages

    /// The split stages of a canonical name; nil for names not in the catalog.
    static func stages(_ canonical: String) throws(TokenizerError) -> [PreTokenizer.Stage]? {
        switch canonical {
        case "bailingmoe":
            [
                .regex(try SplitRegex(##"'(?:[sSdDmMtT]|[lL][lL]|[vV][eE]|[rR][eE])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+"##)),
            ]
        case "bloom":
            [
                .regex(try SplitRegex(##" ?[^(\s|.,!?…。，、।۔،)]+"##)),
            ]
        case "chameleon":
            [
                .regex(try SplitRegex(##"<sentinel:[0-9]+>"##)),
                .regex(try SplitRegex(##"(IMGIMG)((A|B|C|D|E|F|G|H|I){1,4})Z"##)),
                .regex(try SplitRegex(##"([\t\n]|    |  )"##)),
                .singleDigits,
                .regex(try SplitRegex(##"[\p{P}!-/:-@\[-`{-~]"##)),
                .gpt2,
            ]
        case "chatglm-bpe":
            [
                .llama3(digits: 3),
            ]
        case "codeshell":
            [
                .singleDigits,
                .gpt2,
            ]
        case "command-r":
            [
                .singleDigits,
                .gpt2,
            ]
        case "dbrx":
            [
                .llama3(digits: 3),
            ]
        case "deepseek-coder":
            [
                .regex(try SplitRegex(##"[\r\n]"##)),
                .regex(try SplitRegex(##"\s?\p{L}+"##)),
                .regex(try SplitRegex(##"\s?\p{P}+"##)),
                .regex(try SplitRegex(##"[一-龥ࠀ-一가-퟿]+"##)),
                .singleDigits,
            ]
        case "deepseek-llm":
            [
                .regex(try SplitRegex(##"[\r\n]"##)),
                .regex(try SplitRegex(##"\s?[A-Za-zµÀ-ÖØ-öø-ƺƼ-ƿǄ-ʓʕ-ʯͰ-ͳͶͷͻ-ͽͿΆΈ-ΊΌΎ-ΡΣ-ϵϷ-ҁҊ-ԯԱ-ՖႠ-ჅᎠ-Ᏽᏸ-ᏽᲐ-ᲺᲽ-Ჿᴀ-ᴫᵫ-ᵷᵹ-ᶚḀ-ἕἘ-Ἕἠ-ὅὈ-Ὅὐ-ὗὙὛὝὟ-ώᾀ-ᾴᾶ-ᾼιῂ-ῄῆ-ῌῐ-ΐῖ-Ίῠ-Ῥῲ-ῴῶ-ῼℂℇℊ-ℓℕℙ-ℝℤΩℨK-ℭℯ-ℴℹℼ-ℿⅅ-ⅉⅎↃↄⰀ-ⱻⱾ-ⳤⳫ-ⳮⳲⳳꙀ-ꙭꚀ-ꚛꜢ-ꝯꝱ-ꞇꞋ-ꞎꭰ-ꮿﬀ-ﬆﬓ-ﬗＡ-Ｚａ-ｚ𐐀-𐑏𐒰-𐓓𐓘-𐓻𐲀-𐲲𐳀-𐳲𑢠-𑣟𞤀-𞥃]+"##)),
                .regex(try SplitRegex(##"\s?[!-/:-~！-／：-～‘-‟　-。]+"##)),
                .regex(try SplitRegex(##"\s+$"##)),
                .regex(try SplitRegex(##"[一-龥ࠀ-一가-퟿]+"##)),
                .regex(try SplitRegex(##"\p{N}+"##)),
            ]
        case "deepseek-v3":
            [
                .regex(try SplitRegex(##"\p{N}{1,3}"##)),
                .regex(try SplitRegex(##"[一-龥぀-ゟ゠-ヿ]+"##)),
                .regex(try SplitRegex(##"[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"##)),
            ]
        case "default":
            [
                .regex(try SplitRegex(##"[\p{P}\$\+<=>\^~\|]+"##)),
                .gpt2,
                .regex(try SplitRegex(##"\p{N}+"##)),
                .regex(try SplitRegex(##"[0-9][0-9][0-9]"##)),
            ]
        case "exaone":
            [
                .singleDigits,
                .gpt2,
            ]
        case "exaone-moe":
            [
                .regex(try SplitRegex(##"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?(?:\p{L}\p{M}*(?: \p{L}\p{M}*)*)+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]?|\s*[\r\n]|\s+(?!\S)|\s+"##)),
            ]
        case "falcon":
            [
                .regex(try SplitRegex(##"[\p{P}\$\+<=>\^~\|`]+"##)),
                .gpt2,
                .regex(try SplitRegex(##"[0-9][0-9][0-9]"##)),
            ]
        case "gpt-2":
            [
                .gpt2,
            ]
        case "gpt-4o":
            [
                .regex(try SplitRegex(##"[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))*((?=[\p{L}])([^A-Z]))+(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))+((?=[\p{L}])([^A-Z]))*(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"##)),
            ]
        case "gpt3-finnish":
            [
                .regex(try SplitRegex(##" ?[^(\s|.,!?…。，、।۔،)]+"##)),
            ]
        case "granite-docling":
            [
                .gpt2,
            ]
        case "granite-embed-multi-97m":
            [
                .regex(try SplitRegex(##"[^\r\n\p{L}\p{N}]?((?=[\p{L}\p{M}])([^a-z]))*((?=[\p{L}\p{M}])([^A-Z]))+(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|[^\r\n\p{L}\p{N}]?((?=[\p{L}\p{M}])([^a-z]))+((?=[\p{L}\p{M}])([^A-Z]))*(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"##)),
            ]
        case "grok-2":
            [
                .llama3(digits: 1),
            ]
        case "hunyuan":
            [
                .llama3(digits: 1),
            ]
        case "hunyuan-dense":
            [
                .regex(try SplitRegex(##"\p{N}{1,3}"##)),
                .regex(try SplitRegex(##"[一-龥぀-ゟ゠-ヿ]+"##)),
                .regex(try SplitRegex(##"[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"##)),
            ]
        case "hy_v4":
            [
                .regex(try SplitRegex(##"\p{N}{1,3}"##)),
                .regex(try SplitRegex(##"[一-龥぀-ゟ゠-ヿ]+"##)),
                .regex(try SplitRegex(##"[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"##)),
            ]
        case "jais":
            [
                .gpt2,
            ]
        case "jais-2":
            [
                .regex(try SplitRegex(##"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s{512}(?!\S)|\s{256}(?!\S)|\s{128}(?!\S)|\s{64}(?!\S)|\s{32}(?!\S)|\s{16}(?!\S)|\s{8}(?!\S)|\s{4}(?!\S)|\s{1,2}(?!\S)|\s{1}"##)),
            ]
        case "joyai-llm":
            [
                .regex(try SplitRegex(##"\p{N}{1,3}"##)),
                .regex(try SplitRegex(##"[一-龥぀-ゟ゠-ヿ]+"##)),
                .regex(try SplitRegex(##"[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"##)),
            ]
        case "laguna":
            [
                .regex(try SplitRegex(##"[^\n]+|[\n]+"##)),
                .llama3(digits: 1),
            ]
        case "llama-bpe":
            [
                .llama3(digits: 3),
            ]
        case "mellum2":
            [
                .singleDigits,
                .gpt2,
            ]
        case "minerva-7b":
            [
                .singleDigits,
                .gpt2,
            ]
        case "minicpm5":
            [
                .regex(try SplitRegex(##"\p{N}{1,3}"##)),
                .regex(try SplitRegex(##"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}+| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"##)),
            ]
        case "minimax-m2":
            [
                .regex(try SplitRegex(##"[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))*((?=[\p{L}])([^A-Z]))+(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))+((?=[\p{L}])([^A-Z]))*(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"##)),
            ]
        case "mpt":
            [
                .gpt2,
            ]
        case "olmo":
            [
                .gpt2,
            ]
        case "poro-chat":
            [
                .regex(try SplitRegex(##" ?[^(\s|.,!?…。，、।۔،)]+"##)),
            ]
        case "qwen2":
            [
                .llama3(digits: 1),
            ]
        case "qwen35":
            [
                .regex(try SplitRegex(##"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?[\p{L}\p{M}]+|\p{N}| ?[^\s\p{L}\p{M}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"##)),
            ]
        case "refact":
            [
                .singleDigits,
                .gpt2,
            ]
        case "seed-coder":
            [
                .regex(try SplitRegex(##"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1}| ?[^\s\p{L}\p{N}\r\n]+|\s*[\r\n]+|\s+(?!\S)|\s+"##)),
            ]
        case "smaug-bpe":
            [
                .llama3(digits: 3),
            ]
        case "smollm":
            [
                .singleDigits,
                .gpt2,
            ]
        case "solar-open":
            [
                .llama3(digits: 1),
            ]
        case "spark2_5":
            [
                .regex(try SplitRegex(##"\p{N}{1,3}"##)),
                .regex(try SplitRegex(##"[一-龥぀-ゟ゠-ヿ]+"##)),
                .regex(try SplitRegex(##"[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+|[\r\n]|\s+(?!\S)|\s+"##)),
                .singleDigits,
            ]
        case "stablelm2":
            [
                .llama3(digits: 1),
            ]
        case "starcoder":
            [
                .singleDigits,
                .gpt2,
            ]
        case "tekken":
            [
                .regex(try SplitRegex(##"[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))*((?=[\p{L}])([^A-Z]))+|[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))+((?=[\p{L}])([^A-Z]))*|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"##)),
            ]
        case "trillion":
            [
                .gpt2,
            ]
        case "ufakzeka":
            [
                .regex(try SplitRegex(##"[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"##)),
            ]
        case "viking":
            [
                .regex(try SplitRegex(##" ?[^(\s|.,!?…。，、।۔،)]+"##)),
                .singleDigits,
            ]
        case "youtu":
            [
                .regex(try SplitRegex(##"[가-힣ㄱ-ㆎ]+|[！…“”‘’—：；，、-〿︰-﹏]+|[ㄅ-ㄯ]+|[一-龥぀-ゟ゠-ヿ]+"##)),
                .regex(try SplitRegex(##"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"##)),
            ]
        default: nil
        }
    }
}
