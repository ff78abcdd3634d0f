// MARK: - 2-D projection

/// Principal-component projection of a small set of vectors, for the embeddings scatter plot.
public enum Projection {
    /// Projects `vectors` (all the same length) onto their first two principal components.
    ///
    /// Uses the Gram matrix of the centred vectors (n × n, n small) and power iteration with
    /// deflation, so the cost does not depend on the vectors' width. Returns one (x, y) per vector;
    /// fewer than two distinct vectors give zeros. Signs are fixed so the largest coordinate is positive.
    public static func principalComponents2D(_ vectors: [[Float]]) -> [SIMD2<Double>] {
        let n = vectors.count
        guard n > 0, let width = vectors.first?.count, vectors.allSatisfy({ $0.count == width }) else {
            return Array(repeating: .zero, count: n)
        }
        // Centre.
        var mean = [Double](repeating: 0, count: width)
        for v in vectors { for i in 0..<width { mean[i] += Double(v[i]) / Double(n) } }
        let centred = vectors.map { v in (0..<width).map { Double(v[$0]) - mean[$0] } }  // (n, width)
        // Gram matrix G = X·Xᵀ.
        var gram = [Double](repeating: 0, count: n * n)  // (n, n)
        for a in 0..<n {
            for b in a..<n {
                var s = 0.0
                for i in 0..<width { s += centred[a][i] * centred[b][i] }
                gram[a * n + b] = s
                gram[b * n + a] = s
            }
        }
        var coordinates = [SIMD2<Double>](repeating: .zero, count: n)
        for component in 0..<2 {
            var u = (0..<n).map { 1.0 + Double($0 % 3) * 0.1 + Double(component) * Double($0) * 0.01 }
            var eigenvalue = 0.0
            for _ in 0..<200 {
                var next = [Double](repeating: 0, count: n)
                for a in 0..<n { for b in 0..<n { next[a] += gram[a * n + b] * u[b] } }
                let norm = next.reduce(0) { $0 + $1 * $1 }.squareRoot()
                guard norm > 1e-12 else { eigenvalue = 0; break }
                eigenvalue = norm
                u = next.map { $0 / norm }
            }
            guard eigenvalue > 1e-12 else { break }
            // Scores are u·√λ; fix the sign.
            let scale = eigenvalue.squareRoot()
            let largest = u.max { abs($0) < abs($1) } ?? 1
            let sign: Double = largest < 0 ? -1 : 1
            for a in 0..<n { coordinates[a][component] = sign * u[a] * scale }
            // Deflate.
            for a in 0..<n { for b in 0..<n { gram[a * n + b] -= eigenvalue * u[a] * u[b] } }
        }
        return coordinates
    }
}
