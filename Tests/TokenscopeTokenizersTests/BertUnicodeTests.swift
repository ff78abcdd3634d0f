import Foundation
import Testing
import TokenscopeTokenizers

/// The Unicode exception table: every entry changes the result (so none is dead weight), and the
/// generator's Swift side (TOKENSCOPE_DUMP_BERT_UNICODE=DIR writes the rules without exceptions).
@Suite struct BertUnicodeTests {
    @Test func exceptionsAreNeededAndSufficient() throws {
        let with = BertNormalizer()
        var without = BertNormalizer()
        without.appliesReferenceExceptions = false
        let unchanged = BertUnicodeExceptions.unchanged.values
        #expect(!unchanged.isEmpty)
        for v in unchanged + BertUnicodeExceptions.normalization.keys.sorted() {
            guard let s = Unicode.Scalar(v) else { Issue.record("\(v) is not a scalar"); continue }
            #expect(Array(with.normalize(String(s)).unicodeScalars) != Array(without.normalize(String(s)).unicodeScalars), "U+\(String(v, radix: 16)) needs no exception")
        }
        for v in BertUnicodeExceptions.punctuation.values {
            guard let s = Unicode.Scalar(v) else { continue }
            #expect(BertNormalizer.isPunctuation(s) && !BertNormalizer.isPunctuation(s, exceptions: false))
        }
        for v in BertUnicodeExceptions.notPunctuation.values {
            guard let s = Unicode.Scalar(v) else { continue }
            #expect(!BertNormalizer.isPunctuation(s) && BertNormalizer.isPunctuation(s, exceptions: false))
        }
        // Known reference behaviour: a recent Arabic mark stays (older tables), a control is removed.
        #expect(Array(with.normalize("a\u{8D3}b").unicodeScalars) == Array("a\u{8D3}b".unicodeScalars))
        #expect(with.normalize("a\u{200B}b\u{0}c") == "abc")
        if let dir = ProcessInfo.processInfo.environment["TOKENSCOPE_DUMP_BERT_UNICODE"] { try dump(to: dir) }
    }

    func dump(to dir: String) throws {
        var plain = BertNormalizer()
        plain.appliesReferenceExceptions = false
        let applied = BertNormalizer()
        var out = "", withExceptions = ""
        var punct: [UInt32] = []
        for v in UInt32(0x80)..<0x11_0000 {
            guard let s = Unicode.Scalar(v) else { continue }
            out += String(v, radix: 16, uppercase: true) + "\t"
                + plain.normalize(String(s)).unicodeScalars.map { String($0.value, radix: 16, uppercase: true) }.joined(separator: " ") + "\n"
            withExceptions += String(v, radix: 16, uppercase: true) + "\t"
                + applied.normalize(String(s)).unicodeScalars.map { String($0.value, radix: 16, uppercase: true) }.joined(separator: " ") + "\n"
            if BertNormalizer.isPunctuation(s, exceptions: false) && !BertNormalizer.isWhitespace(s) { punct.append(v) }
        }
        try out.write(toFile: dir + "/swift_norm.txt", atomically: true, encoding: .utf8)
        try withExceptions.write(toFile: dir + "/swift_norm_applied.txt", atomically: true, encoding: .utf8)
        try JSONEncoder().encode(punct).write(to: URL(fileURLWithPath: dir + "/swift_punct.json"))
    }
}
