/// The emulator's sample third-party API: which credentials it accepts and how much data it holds.
/// Mailchimp-like paths (`/3.0/…`) take Basic (any user, the API key as password) or a bearer
/// access token; Acme paths (`/v2/…`) take Basic with the Acme user and password.
public struct SampleAPIConfiguration: Sendable {
    public var host = "127.0.0.1"
    /// 0 asks the kernel for an ephemeral port; read the bound one from `SampleAPIServer.port`.
    public var port = 0
    public var mailchimpAPIKey = "mailchimp-demo-key-us21"
    public var mailchimpAccessToken = "mailchimp-demo-access-token"
    public var acmeUsername = "acme-demo"
    public var acmePassword = "acme-demo-password"
    /// Members of the list `demo-list` (and of the trap lists).
    public var memberCount = 250
    public var campaignCount = 120
    public var orderCount = 230
    /// Orders per page when a request names no `limit`.
    public var orderPageSize = 50
    public var customerCount = 75
    public var productCount = 95
    public var storeCount = 3

    public init() {}
}
