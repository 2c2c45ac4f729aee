import SeamNetSim
import Testing

/// `ImpairmentSpec(parsing:)`: every key, its units and ranges, and errors that name the offending part.
@Suite struct SpecParsingTests {
    @Test func theFullExampleParses() throws {
        let spec = try ImpairmentSpec(
            parsing: "latency=75ms,jitter=10ms,loss=1%,burst=0.5%/4,dup=0.5%,reorder=1%,seed=7")
        #expect(spec.latencyNanos == 75_000_000)
        #expect(spec.jitterNanos == 10_000_000)
        #expect(spec.loss == 0.01)
        #expect(spec.burst == ImpairmentSpec.BurstLoss(enter: 0.005, meanLength: 4))
        #expect(spec.duplicate == 0.005)
        #expect(spec.reorder == 0.01)
        #expect(spec.reorderDelayNanos == 50_000_000, "the default hold-back")
        #expect(spec.seed == 7)
    }

    @Test func unitsAndOptionalParts() throws {
        #expect(try ImpairmentSpec(parsing: "latency=0.2s").latencyNanos == 200_000_000)
        #expect(try ImpairmentSpec(parsing: "latency=750us").latencyNanos == 750_000)
        #expect(try ImpairmentSpec(parsing: "latency=1.5ms").latencyNanos == 1_500_000)
        #expect(try ImpairmentSpec(parsing: "reorder=2%/30ms").reorderDelayNanos == 30_000_000)
        #expect(try ImpairmentSpec(parsing: " latency=5ms , loss=100% ").loss == 1)
        #expect(try ImpairmentSpec(parsing: "queue=500").queueLimit == 500)
        #expect(try ImpairmentSpec(parsing: "seed=18446744073709551615").seed == UInt64.max)
    }

    @Test func anEmptySpecRelaysUntouched() throws {
        let spec = try ImpairmentSpec(parsing: "")
        #expect(spec == ImpairmentSpec())
        #expect(spec.isPassThrough)
        #expect(try ImpairmentSpec(parsing: "latency=0ms").isPassThrough)
        #expect(try !ImpairmentSpec(parsing: "dup=1%").isPassThrough)
    }

    @Test(arguments: [
        "latency=75ms,jitter=10ms,loss=1%,burst=0.5%/4,dup=0.5%,reorder=1%,seed=7",
        "latency=1500us,jitter=0.25s,queue=20,seed=0",
        "burst=1%/2.5,reorder=3%/7ms",
        "",
    ])
    func theDescriptionParsesBackToTheSameSpec(text: String) throws {
        let spec = try ImpairmentSpec(parsing: text)
        #expect(try ImpairmentSpec(parsing: spec.description) == spec, "\(spec.description)")
    }

    @Test(arguments: [
        ("lat=5ms", "spec part 'lat=5ms': unknown key 'lat'; known keys: latency, jitter"),
        ("latency=75", "spec part 'latency=75': latency needs a unit: us, ms or s"),
        ("latency=75 ms", "spec part 'latency=75 ms': latency must be a number"),
        ("latency=75min", "latency needs a unit"),
        ("latency=-5ms", "spec part 'latency=-5ms': latency must not be negative"),
        ("latency=11s", "spec part 'latency=11s': latency must be at most 10s"),
        ("jitter=abcms", "spec part 'jitter=abcms': jitter must be a number, got 'abc'"),
        ("loss=1", "spec part 'loss=1': loss is a percentage and needs '%'"),
        ("loss=101%", "spec part 'loss=101%': loss must be in 0%...100%"),
        ("dup=-1%", "spec part 'dup=-1%': dup must not be negative"),
        ("burst=1%", "spec part 'burst=1%': expected two values separated by '/', as in burst=0.5%/4"),
        ("burst=1%/0.5", "spec part 'burst=1%/0.5': the mean burst length must be in 1...10000 packets"),
        ("burst=1/4", "spec part 'burst=1/4': burst is a percentage"),
        ("reorder=1%/30", "spec part 'reorder=1%/30': reorder needs a unit"),
        ("queue=0", "spec part 'queue=0': queue must be a whole number of packets in 1...10000000"),
        ("seed=-1", "spec part 'seed=-1': seed must be a whole number"),
        ("latency", "spec part 'latency' is not key=value"),
        ("latency=5ms,,loss=1%", "empty part in spec"),
        ("loss=1%,loss=2%", "spec part 'loss=2%': key 'loss' given twice"),
    ])
    func badSpecsNameTheOffendingPart(text: String, message: String) {
        #expect {
            try ImpairmentSpec(parsing: text)
        } throws: { error in
            guard let e = error as? NetSimError else { return false }
            return e.code == .badSpec && e.message.contains(message)
        }
    }

    @Test func relayMappingsParse() throws {
        let m = try RelayMapping(parsing: "127.0.0.1:0=localhost:7200")
        #expect(m.listen == Endpoint(host: 0x0100_007F, port: 0))
        #expect(m.target.description == "127.0.0.1:7200")
        for bad in ["127.0.0.1:7300", "127.0.0.1:7300=127.0.0.1", "127.0.0.1:7300=127.0.0.1:0", "x:1=y:2=z:3"] {
            #expect(throws: NetSimError.self, "\(bad)") { try RelayMapping(parsing: bad) }
        }
    }
}
