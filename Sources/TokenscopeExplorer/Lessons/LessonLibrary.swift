import Foundation

// MARK: - The shipped lessons

/// The lessons in `Assets/Lessons/`, in file-name order (`01-next-token.md` first).
public enum LessonLibrary {
    /// The folder holding the shipped lessons.
    public static func folder() throws(AssetError) -> URL {
        try AssetLocator.root().appendingPathComponent("Lessons")
    }

    /// Every shipped lesson, parsed; the first malformed file is an error.
    public static func shipped() throws(AssetError) -> [Lesson] {
        let folder = try folder()
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "md" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            throw AssetError(file: folder.path, line: nil, reason: "cannot list the lessons: \(error.localizedDescription)")
        }
        var lessons: [Lesson] = []
        for file in files {
            let lesson = try LessonParser.load(file)
            if let other = lessons.first(where: { $0.name == lesson.name }) {
                throw AssetError(file: file.path, line: nil, reason: "the lesson name '\(lesson.name)' is also used by \(other.file)")
            }
            lessons.append(lesson)
        }
        return lessons
    }
}
