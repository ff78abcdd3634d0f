import Testing
import TokenscopeFormats

@Suite struct TensorTypeTests {
    @Test func blockGeometryMatchesGGML() {
        #expect(TensorType.q4_1.blockSize == 32 && TensorType.q4_1.blockBytes == 20)
        #expect(TensorType.q8_0.blockBytes == 34)
        #expect(TensorType.q4_K.blockSize == 256 && TensorType.q4_K.blockBytes == 144)
        #expect(TensorType.q6_K.blockBytes == 210)
        #expect(TensorType(rawValue: 30) == .bf16)
    }

    @Test func rowBytesRejectsPartialBlocksAndOverflow() {
        #expect(TensorType.q4_1.rowBytes(count: 576) == 18 * 20)
        #expect(TensorType.q4_1.rowBytes(count: 33) == nil)
        #expect(TensorType.f32.rowBytes(count: Int.max) == nil)
    }
}
