// libFuzzer target for the GGUF reader: every input must parse or end in a ModelFileError.
// Build and run: see Docs/FUZZING.md.


@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let file = try? GGUFFile(mapping: MappedFile(copying: bytes, label: "fuzz.gguf")) {
        for info in file.tensorInfos {
            if let view = try? file.tensor(named: info.name), view.rows > 0, view.type.isSupported {
                _ = view.row(view.rows - 1)
            }
        }
        for key in file.metadata.keys {
            _ = try? file.metadata.strings(key)
            _ = try? file.metadata.ints(key)
            _ = try? file.metadata.int(key)
        }
    }
    return 0
}
