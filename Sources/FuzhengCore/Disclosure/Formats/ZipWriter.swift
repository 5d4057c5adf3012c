import Foundation
import ZIPFoundation

/// Builds an OOXML package (DOCX, XLSX) in memory.
struct ZipWriter {
    private var entries: [(String, Data)] = []

    mutating func add(_ path: String, _ text: String) {
        entries.append((path, Data(text.utf8)))
    }

    mutating func add(_ path: String, _ data: Data) {
        entries.append((path, data))
    }

    func data() throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        // A fixed timestamp makes the same disclosure give the same bytes.
        let date = Date(timeIntervalSince1970: 1_672_531_200)
        for (path, data) in entries {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: date,
                                 compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }
}
