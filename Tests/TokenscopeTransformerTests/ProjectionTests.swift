import Testing
import TokenscopeTransformer

@Suite struct ProjectionTests {
    @Test func pointsOnALineProjectToTheFirstAxis() {
        let direction: [Float] = [1, 2, 2]  // norm 3
        let vectors = [-2, -1, 0, 1, 2].map { t in direction.map { $0 * Float(t) } }
        let points = Projection.principalComponents2D(vectors)
        for (t, point) in zip([-2.0, -1, 0, 1, 2], points) {
            #expect(abs(abs(point.x) - abs(t) * 3) < 1e-6)
            #expect(abs(point.y) < 1e-6)
        }
    }

    @Test func twoComponentsPreserveDistancesOfPlanarPoints() {
        let vectors: [[Float]] = [[0, 0, 0, 0], [4, 0, 0, 0], [0, 3, 0, 0], [4, 3, 0, 0]]
        let points = Projection.principalComponents2D(vectors)
        for a in 0..<4 {
            for b in 0..<4 {
                let original = zip(vectors[a], vectors[b]).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) }.squareRoot()
                let d = points[a] - points[b]
                #expect(abs((d.x * d.x + d.y * d.y).squareRoot() - original) < 1e-6)
            }
        }
    }

    @Test func degenerateInputGivesZeros() {
        #expect(Projection.principalComponents2D([]).isEmpty)
        #expect(Projection.principalComponents2D([[1, 2], [1, 2]]) == [.zero, .zero])
        #expect(Projection.principalComponents2D([[1, 2], [1]]) == [.zero, .zero])
    }
}
