import Foundation
import Testing
@testable import SpecSyncConfiguration
@testable import SpecSyncJSON
import SpecSyncTestSupport
@testable import SpecSyncCore

@Suite("Configuration")
struct ConfigurationTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func loader(_ environment: [String: String] = [:], directory: String = "/work/repo") -> ConfigurationLoader {
        ConfigurationLoader(environment: environment, currentDirectory: directory)
    }

    func parseError(_ yaml: String, environment: [String: String] = [:]) -> ConfigurationError? {
        do { _ = try loader(environment).parse(yaml, source: "/etc/specsync/specsync.yaml"); return nil } catch { return error }
    }

    @Test("the documented example in Config/ loads, with paths relative to its folder")
    func documentedExample() throws {
        let path = Self.repositoryRoot.appendingPathComponent("Config/specsync.yaml").path
        let configuration = try loader().loadFile(path)
        #expect(configuration.repository.path == Self.repositoryRoot.appendingPathComponent("Config/examples").path)
        #expect(configuration.repository.ref == "HEAD")
        #expect(configuration.bundles.root == "Sources")
        #expect(configuration.state.directory == Self.repositoryRoot.appendingPathComponent("Config/.specsync").path)
        let target = try configuration.target(named: nil)
        #expect(target.name == "prod")
        #expect(target.flowService.clientSecret == .credential("ims-client-secret"))
        #expect(target.flowService.orgId == "0123456789ABCDEF01234567@AdobeOrg")
        #expect(configuration.statePath(for: target).hasSuffix("Config/.specsync/prod.state.json"))
    }

    @Test("without a file the current directory is the repository and the defaults apply")
    func defaults() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let configuration = try loader(directory: directory.path).load()
        #expect(configuration.repository.path == directory.path)
        #expect(configuration.bundles.root == "Sources")
        #expect(configuration.state.directory == directory.path + "/.specsync")
        #expect(try configuration.target(named: nil).name == "default")
        let systemd = try loader(["STATE_DIRECTORY": "/var/lib/specsync:/var/lib/other"], directory: directory.path).load()
        #expect(systemd.state.directory == "/var/lib/specsync")
    }

    @Test("unknown keys are errors naming the key, where it is, and what is known", arguments: [
        ("repositry:\n  path: x\n", "unknown key 'repositry' at the top level", "1:1"),
        ("repository:\n  path: x\n  branch: main\n", "unknown key 'branch' under 'repository'", "3:3"),
        ("targets:\n  prod:\n    flowService:\n      sandbox: dev\n      orgID: x\n", "unknown key 'orgID' under 'targets.prod.flowService'", "5:7"),
    ])
    func unknownKeys(_ yaml: String, _ message: String, _ location: String) throws {
        let error = try #require(parseError(yaml))
        #expect(error.message.contains(message), "\(error)")
        #expect(error.location == location)
        #expect(error.description.hasPrefix("/etc/specsync/specsync.yaml:\(location): "))
    }

    @Test("type errors and bad values are reported")
    func badValues() throws {
        #expect(try #require(parseError("repository: [a, b]\n")).message.contains("'repository' must be a mapping"))
        #expect(try #require(parseError("targets:\n  p:\n    kind: salesforce\n")).message.contains("unknown target kind 'salesforce'"))
        #expect(try #require(parseError("targets:\n  p:\n    flowService:\n      baseURL: ftp://x\n")).message.contains("http(s) URL"))
        #expect(try #require(parseError("targets:\n  p:\n    flowService:\n      clientSecret: {env: A, file: B}\n")).message.contains("exactly one"))
        #expect(try #require(parseError("defaultTarget: nope\n")).message.contains("no target named 'nope'"))
        let yaml = try #require(parseError("repository: {path: x\n"))
        #expect(yaml.message.contains("not valid YAML"))
        #expect(yaml.location == "2:1", "\(yaml)")
    }

    @Test("a configuration file that cannot be read says why, in the system's words")
    func unreadableFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for (path, reason) in [(directory.path + "/missing.yaml", "No such file or directory"), (directory.path, "Is a directory")] {
            do {
                _ = try loader().loadFile(path)
                Issue.record("\(path) loaded")
            } catch {
                #expect(error.source == path)
                #expect(error.message == "cannot read the configuration file (\(reason))", "\(error)")
            }
        }
    }

    @Test("scalars are read as their text: yes, 010 and ~ are strings where a string is expected")
    func scalarsAreText() throws {
        let configuration = try loader().parse("repository: {path: yes, ref: 010}\nbundles: {root: ~}\n", source: "/etc/specsync/specsync.yaml")
        #expect(configuration.repository.path == "/etc/specsync/yes")
        #expect(configuration.repository.ref == "010")
        #expect(configuration.bundles.root == "~")
        // Two keys with the same text are the same key, quoted or not.
        #expect(try #require(parseError("targets:\n  true: {}\n  'true': {}\n")).message.contains("not valid YAML"))
    }

    @Test("SPECSYNC_ variables override the file; unknown ones are errors")
    func environmentOverrides() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("repository:\n  path: repo\ntargets:\n  prod-eu:\n    flowService:\n      sandbox: prod\n", to: "specsync.yaml")
        let configuration = try loader([
            "SPECSYNC_REPOSITORY_REF": "origin/main",
            "SPECSYNC_BUNDLES_ROOT": "connectors",
            "SPECSYNC_TARGETS_PROD_EU_FLOW_SERVICE_SANDBOX": "stage",
            "SPECSYNC_CONFIG": directory.path + "/specsync.yaml",
        ], directory: "/").load()
        #expect(configuration.repository.path == directory.path + "/repo")
        #expect(configuration.repository.ref == "origin/main")
        #expect(configuration.bundles.root == "connectors")
        #expect(try configuration.target(named: "prod-eu").flowService.sandbox == "stage")

        #expect(throws: ConfigurationError.self) {
            try loader(["SPECSYNC_REPOSITORY_BRANCH": "x"], directory: directory.path).load()
        }
        do {
            _ = try loader(["SPECSYNC_TARGETS_PROD_EU_FLOW_SERVICE_SANDBOXX": "x"], directory: directory.path).load()
            Issue.record("an unknown variable was accepted")
        } catch {
            #expect(error.source == "SPECSYNC_TARGETS_PROD_EU_FLOW_SERVICE_SANDBOXX")
        }
    }

    @Test("several targets need a choice")
    func targetChoice() throws {
        let configuration = try loader().parse("targets:\n  dev: {}\n  prod: {}\n", source: "/x/specsync.yaml")
        #expect(throws: ConfigurationError.self) { try configuration.target(named: nil) }
        #expect(try configuration.target(named: "dev").name == "dev")
        #expect(configuration.statePath(for: try configuration.target(named: "prod")) != configuration.statePath(for: try configuration.target(named: "dev")))
        #expect(try #require(parseError("targets:\n  ../evil: {}\n")).message.contains("letters, digits"))
    }

    @Test("target names are letters, digits, '-' and '_', starting with a letter or digit", arguments: [
        ("prod", true), ("Prod-EU_2", true), ("9", true), ("", false), ("-prod", false), ("_prod", false),
        ("prod eu", false), ("prod\n", false), ("prod.eu", false), ("prød", false), ("../evil", false),
    ])
    func targetNames(_ name: String, _ valid: Bool) {
        #expect(ConfigurationLoader.isTargetName(name) == valid)
    }

    @Test("concurrency is adaptive unless a number is set (file or variable); Flxpoint's stays fixed; anything else is an error naming the key and what it takes")
    func concurrency() throws {
        let defaults = try loader().parse("targets:\n  a:\n    flowService: {sandbox: prod}\n  v:\n    kind: versori\n    versori: {organisation: x}\n", source: "s.yaml")
        #expect(try defaults.target(named: "a").concurrency == .adaptive)
        #expect(try defaults.target(named: "v").concurrency == .adaptive)
        #expect(try defaults.target(named: "a").concurrency.slots == 64)
        let set = try loader().parse(
            "targets:\n  a:\n    flowService: {concurrency: 8}\n  b:\n    flowService: {concurrency: adaptive}\n  f:\n    kind: flxpoint\n    flxpoint: {concurrency: 2}\n",
            source: "s.yaml")
        #expect(try set.target(named: "a").concurrency == .fixed(8))
        #expect(try set.target(named: "a").concurrency.slots == 8)
        #expect(try set.target(named: "b").concurrency == .adaptive)
        #expect(try set.target(named: "f").concurrency == .fixed(2))
        var fromVariable = try loader().parse("targets:\n  a:\n    flowService: {sandbox: prod}\n", source: "s.yaml")
        try loader(["SPECSYNC_TARGETS_A_FLOW_SERVICE_CONCURRENCY": "16"]).applyEnvironment(to: &fromVariable)
        #expect(try fromVariable.target(named: "a").concurrency == .fixed(16))
        for bad in ["0", "65", "Adaptive", "auto"] {
            let error = try #require(parseError("targets:\n  a:\n    flowService:\n      concurrency: \(bad)\n"))
            #expect(error.message.contains("'targets.a.flowService.concurrency' must be a number from 1 to 64, or adaptive, found '\(bad)'"), "\(error)")
        }
        // Flxpoint paces itself by its documented limit: a number only.
        let flxpoint = try #require(parseError("targets:\n  f:\n    kind: flxpoint\n    flxpoint:\n      concurrency: adaptive\n"))
        #expect(flxpoint.message.contains("'targets.f.flxpoint.concurrency' must be a number from 1 to 64"), "\(flxpoint)")
    }
}

@Suite("Configuration: daemon, safety and environments")
struct ConfigurationDaemonTests {
    @Test("the daemon section, remote repository, conflict, prune, patch and flow spec settings are read")
    func sections() throws {
        let yaml = """
            repository:
              url: https://git.example/connectors.git
              credentials: {username: bot, token: {credential: git-token}}
            state: {directory: /var/lib/specsync}
            daemon:
              pollInterval: 500ms
              fetchInterval: 2m
              drift: {interval: off, policy: heal, maxHeals: 2}
              retry: {base: 10s, max: 1h}
              http: {host: 0.0.0.0, port: 0, webhookSecret: {env: HOOK}}
            targets:
              stage:
                onConflict: overwrite
                prune: {enabled: true, limit: 2}
                patches: {all: patches/stage.json, bundles: {a: patches/a.json}}
                flowService: {flowSpecId: "off", flowSpecBundles: {b: flow-b}}
            """
        let configuration = try ConfigurationLoader(environment: [:], currentDirectory: "/").parse(yaml, source: "/etc/specsync/specsync.yaml")
        #expect(configuration.repository.url == "https://git.example/connectors.git")
        #expect(configuration.repository.ref == "origin/main")
        #expect(configuration.repository.path == "/var/lib/specsync/repository.git")
        #expect(configuration.repository.credentials?.token == .credential("git-token"))
        #expect(configuration.daemon.pollInterval == .milliseconds(500))
        #expect(configuration.daemon.fetchInterval == .seconds(120))
        #expect(configuration.daemon.driftInterval == nil)
        #expect(configuration.daemon.driftPolicy == .heal)
        #expect(configuration.daemon.maxHeals == 2)
        #expect(configuration.daemon.retryMax == .seconds(3600))
        #expect(configuration.daemon.httpPort == 0)
        #expect(configuration.daemon.webhookSecret == .environment("HOOK"))
        let target = try configuration.target(named: "stage")
        #expect(target.onConflict == .overwrite)
        #expect(target.prune && target.pruneLimit == 2)
        #expect(target.patchAll == "/etc/specsync/patches/stage.json")
        #expect(target.patchBundles == ["a": "/etc/specsync/patches/a.json"])
        #expect(target.flowService.flowSpecs.flowSpec(for: BundleID("a")) == nil)
        #expect(target.flowService.flowSpecs.flowSpec(for: BundleID("b")) == "flow-b")
    }

    @Test("a remote's clone follows the state directory, also when the environment moves it")
    func remoteClonePath() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("repository:\n  url: https://git.example/c.git\nstate:\n  directory: .specsync\n", to: "specsync.yaml")
        let moved = try ConfigurationLoader(environment: ["SPECSYNC_STATE_DIRECTORY": "/var/lib/specsync"], currentDirectory: directory.path).load()
        #expect(moved.repository.path == "/var/lib/specsync/repository.git")
        let explicit = try ConfigurationLoader(
            environment: ["SPECSYNC_STATE_DIRECTORY": "/var/lib/specsync", "SPECSYNC_REPOSITORY_PATH": "/srv/clone.git"],
            currentDirectory: directory.path).load()
        #expect(explicit.repository.path == "/srv/clone.git")
    }

    @Test("bad durations and policies are errors that say what is expected", arguments: [
        ("daemon:\n  pollInterval: soon\n", "positive duration"),
        ("daemon:\n  drift: {policy: fix}\n", "warn, heal, ignore"),
        ("targets:\n  t: {onConflict: merge}\n", "refuse or overwrite"),
        ("targets:\n  t: {unrecordedDifference: maybe}\n", "update or refuse"),
        ("targets:\n  t: {prune: {enabled: maybe}}\n", "true or false"),
    ])
    func badValues(_ yaml: String, _ fragment: String) throws {
        do {
            _ = try ConfigurationLoader(environment: [:], currentDirectory: "/").parse(yaml, source: "/x.yaml")
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect(error.message.contains(fragment), "\(error)")
        }
    }

    @Test("merge patches follow RFC 7386")
    func mergePatch() throws {
        let target = try JSONParser().parse(#"{"a":"b","c":{"d":"e","f":"g"},"l":[1]}"#)
        let patch = try JSONParser().parse(#"{"a":"z","c":{"f":null},"l":[2],"n":{"o":1}}"#)
        #expect(JSONMergePatch.apply(patch, to: target) == (try JSONParser().parse(#"{"a":"z","c":{"d":"e"},"l":[2],"n":{"o":1}}"#)))
    }
}

@Suite("Connection target configuration")
struct ConnectionTargetConfigurationTests {
    let loader = ConfigurationLoader(environment: [:], currentDirectory: "/work/repo")

    @Test("flxpoint and versori targets read their own sections, roots and limits")
    func sections() throws {
        let configuration = try loader.parse("""
            targets:
              flx:
                kind: flxpoint
                flxpoint: {token: {credential: flxpoint-token}, requestsPerSecond: 2, concurrency: 2}
              ver:
                kind: versori
                versori: {organisation: acme, apiKey: {env: VERSORI_KEY}, root: integrations/versori}
            """, source: "/etc/specsync/specsync.yaml")
        let flx = try configuration.target(named: "flx")
        #expect(flx.kind == .flxpoint)
        #expect(flx.flxpoint.token == .credential("flxpoint-token"))
        #expect(flx.layout(bundles: configuration.bundles) == BundleLayout(root: "Connections/flxpoint", resource: .flxpointConnection))
        #expect(flx.identity.kind == "flxpoint")
        let ver = try configuration.target(named: "ver")
        #expect(ver.versori.organisation == "acme")
        #expect(ver.layout(bundles: configuration.bundles).root == "integrations/versori")
        #expect(ver.identity.identity == "org=acme")
    }

    @Test("another kind's section is an error, not silently ignored")
    func wrongSection() {
        #expect(throws: ConfigurationError.self) {
            try loader.parse("targets:\n  flx:\n    kind: flxpoint\n    flowService: {sandbox: prod}\n", source: "s.yaml")
        }
        do {
            _ = try loader.parse("targets:\n  flx:\n    flowService: {sandbox: prod}\n    versori: {organisation: x}\n", source: "s.yaml")
            Issue.record("a versori section on a flowService target was accepted")
        } catch {
            #expect(error.description.contains("targets.flx is a flowService target; its 'versori' settings would be ignored"))
            #expect(error.location == "4:14")
        }
    }

    @Test("SPECSYNC_TARGETS_<NAME>_FLXPOINT_/_VERSORI_ variables override")
    func environment() throws {
        let yaml = "targets:\n  flx:\n    kind: flxpoint\n  ver:\n    kind: versori\n"
        let loader = ConfigurationLoader(environment: [
            "SPECSYNC_TARGETS_FLX_FLXPOINT_BASE_URL": "http://127.0.0.1:1/flxpoint",
            "SPECSYNC_TARGETS_VER_VERSORI_ORGANISATION": "acme",
        ], currentDirectory: "/work/repo")
        var configuration = try loader.parse(yaml, source: "s.yaml")
        try loader.applyEnvironment(to: &configuration)
        #expect(try configuration.target(named: "flx").flxpoint.baseURL == "http://127.0.0.1:1/flxpoint")
        #expect(try configuration.target(named: "ver").versori.organisation == "acme")
    }
}
