// libFuzzer target for the safetensors reader (and HF config.json decoding): every input must parse
// or end in a ModelFileError. Build and run: see Docs/FUZZING.md.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let file = try? SafetensorsFile(mapping: MappedFile(copying: bytes, label: "fuzz.safetensors")) {
        for info in file.tensorInfos {
            if let view = try? file.tensor(named: info.name), view.rows > 0, view.columns > 0 {
                // Touch the first and last byte of the tensor.
                _ = view.row(0).first
                _ = view.row(view.rows - 1).last
            }
        }
        _ = file.metadata.count
    }
    // The same bytes as a config.json.
    if let config = try? HFConfig(json: Data(bytes), file: "fuzz/config.json") {
        _ = config.headSize + config.keyValueHeadCount
    }
    return 0
}
