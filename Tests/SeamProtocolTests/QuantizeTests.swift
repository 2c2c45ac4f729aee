import SeamWorld
import SeamTesting
import Testing
@testable import SeamProtocol

@Suite struct QuantizeTests {
    @Test func positionRoundTripsWithinHalfAStep() {
        var rng = SplitMix64(seed: 1)
        for _ in 0..<100_000 {
            let v = Double.random(in: 0...1023.9, using: &rng)
            let back = Quantize.position(Quantize.position(v))
            #expect(abs(back - v) <= 0.5 / Quantize.positionScale + 1e-12)
        }
        #expect(Quantize.position(UInt16(64)) == 1.0)
        #expect(Quantize.position(1.0) == 64)
        #expect(Quantize.position(32.5) == 2080)
    }

    @Test func positionClampsAtTheEnds() {
        #expect(Quantize.position(-0.001) == 0)
        #expect(Quantize.position(-5.0) == 0)
        #expect(Quantize.position(-1e9) == 0)
        #expect(Quantize.position(1023.984375) == 65535)
        #expect(Quantize.position(1024.0) == 65535)
        #expect(Quantize.position(5000.0) == 65535)
        #expect(Quantize.position(UInt16.max) == 65535.0 / 64)
    }

    @Test func velocityRoundTripsAndClamps() {
        var rng = SplitMix64(seed: 2)
        for _ in 0..<100_000 {
            let v = Double.random(in: -127.9...127.9, using: &rng)
            let back = Quantize.velocity(Quantize.velocity(v))
            #expect(abs(back - v) <= 0.5 / Quantize.velocityScale + 1e-12)
        }
        #expect(Quantize.velocity(6.0) == 1536)
        #expect(Quantize.velocity(-6.0) == -1536)
        #expect(Quantize.velocity(200.0) == Int16.max)
        #expect(Quantize.velocity(-200.0) == Int16.min)
        #expect(Quantize.velocity(Int16.min) == -128.0)
    }

    @Test func angleRoundTripsAndWraps() {
        var rng = SplitMix64(seed: 3)
        let step = 2 * Double.pi / 65536
        for _ in 0..<100_000 {
            let a = Double.random(in: 0..<(2 * Double.pi), using: &rng)
            let back = Quantize.angle(Quantize.angle(a))
            var diff = abs(back - a)
            diff = min(diff, 2 * Double.pi - diff)  // 65536 wraps to 0
            #expect(diff <= step / 2 + 1e-9)
        }
        #expect(Quantize.angle(0.0) == 0)
        #expect(Quantize.angle(Double.pi / 2) == 16384)
        #expect(Quantize.angle(Double.pi) == 32768)
        #expect(Quantize.angle(-Double.pi / 2) == 49152)
        #expect(Quantize.angle(2 * Double.pi) == 0)
        #expect(Quantize.angle(5 * Double.pi) == 32768)
        #expect(Quantize.angle(2 * Double.pi - step / 4) == 0)
        #expect(Quantize.angle(UInt16(16384)) == Double.pi / 2)
    }
}
