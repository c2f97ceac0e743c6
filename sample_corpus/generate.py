#!/usr/bin/env python3
"""Writes sample_corpus/quillstack.jsonl: the website of Quillstack, a fictional
developer-platform company (product pages, documentation, API and CLI reference,
error pages, how-to guides, release notes, blog, FAQ and incident reports).

Deterministic: the same script always writes the same file, so the corpus can be
regenerated and diffed. Popularity follows what real documentation sites see: a few
overview and getting-started pages take most traffic, reference pages form a long
tail. Run: python3 sample_corpus/generate.py > sample_corpus/quillstack.jsonl
"""

import json
import random
import sys
from datetime import datetime, timedelta, timezone

SITE = "https://quillstack.example"
rng = random.Random(20261122)

# Each product: what it is, its concepts, configuration keys, CLI commands, errors,
# API endpoints and tasks. Everything below is written by hand; the generator only
# assembles pages from it.
PRODUCTS = [
    {
        "slug": "pipelines",
        "name": "Pipelines",
        "tagline": "continuous integration and delivery that scales with your repository",
        "about": "Quillstack Pipelines builds, tests and deploys every commit. Pipelines are "
        "declared in a quill.yaml file next to your code, run on isolated Linux and macOS "
        "runners, and cache dependencies between runs so that a typical build finishes in "
        "minutes instead of quarter hours.",
        "concepts": [
            ("stages and jobs", "A pipeline is a list of stages; each stage runs its jobs in "
             "parallel, and the next stage starts only when every job of the previous one has "
             "passed. Jobs in one stage share nothing but the artifacts you declare."),
            ("runners", "Runners are the machines that execute jobs. Hosted runners come in "
             "small, medium and large sizes with 2, 4 and 8 vCPUs. Self-hosted runners let "
             "you build inside your own network, for example next to a private package mirror."),
            ("remote caching", "The cache stores directories such as node_modules, ~/.cargo or "
             ".m2 keyed by a hash of your lock files. A cache hit restores them before the job "
             "starts; a miss uploads them when the job succeeds. Caches expire after 14 days "
             "without use."),
            ("artifacts", "Artifacts are files a job hands to later stages or keeps for "
             "download, such as compiled binaries, coverage reports or container images. They "
             "are retained for 30 days by default."),
            ("matrix builds", "A matrix expands one job into many, one per combination of "
             "variables such as language version and operating system. Failing combinations "
             "are reported separately so a flaky macOS job does not hide a Linux failure."),
            ("deployment environments", "Environments such as staging and production record "
             "what was deployed where. Protected environments require an approval from a "
             "team member before a deploy job may run."),
        ],
        "config": [
            ("cache.paths", "Directories to save and restore between runs."),
            ("cache.key", "Expression whose hash names the cache, usually the lock file."),
            ("timeout_minutes", "Cancels a job that runs longer than this; default 60."),
            ("runner.size", "small, medium or large hosted runner for the job."),
            ("retry.max_attempts", "Re-runs a failed job up to this many times; default 0."),
        ],
        "errors": [
            ("QS-1001", "pipeline file not found",
             "No quill.yaml was found at the repository root or in .quill/. Check the branch "
             "you pushed and the file name; the file must be named exactly quill.yaml."),
            ("QS-1017", "job exceeded timeout",
             "The job ran longer than timeout_minutes. Look for a step waiting on input or a "
             "network call without a timeout, or raise the limit for slow integration suites."),
            ("QS-1023", "cache restore failed",
             "The cache archive could not be downloaded or unpacked. The job continues without "
             "a cache. Repeated failures usually mean the cache key contains a timestamp."),
            ("QS-1042", "runner lost connection",
             "The runner stopped sending heartbeats, most often because the job exhausted the "
             "runner's memory. Use a larger runner.size or reduce test parallelism."),
        ],
        "endpoints": [
            ("POST", "/v1/pipelines/{id}/runs", "Starts a run of a pipeline for a branch or commit."),
            ("GET", "/v1/runs/{id}", "Returns the status, stages and timing of one run."),
            ("POST", "/v1/runs/{id}/cancel", "Cancels a run and every job still in progress."),
            ("GET", "/v1/runs/{id}/logs", "Streams the logs of a run, job by job."),
        ],
        "tasks": [
            ("Speed up builds with dependency caching",
             ["Add a cache section to quill.yaml with the directories your package manager fills.",
              "Key the cache on your lock file, for example cache.key: hash(package-lock.json).",
              "Push a commit and compare the duration of the first and second runs.",
              "Watch the cache hit rate on the pipeline insights page."]),
            ("Run tests across several Node.js versions",
             ["Declare a matrix with node: [18, 20, 22] under the test job.",
              "Reference the version as ${{ matrix.node }} in the setup step.",
              "Mark experimental versions with allow_failure so they do not block merges."]),
            ("Deploy to production with manual approval",
             ["Create a production environment in the project settings and protect it.",
              "Add a deploy job that targets environment: production.",
              "Approvers receive a notification and approve from the run page or the CLI."]),
            ("Use a self-hosted runner behind a firewall",
             ["Install the runner agent with quill runner install on a Linux host.",
              "Register it with a registration token from the project settings.",
              "Label the runner and select it with runner.labels in quill.yaml."]),
        ],
    },
    {
        "slug": "vault",
        "name": "Vault",
        "tagline": "secrets management for teams that ship often",
        "about": "Quillstack Vault stores API keys, database passwords and certificates, "
        "encrypted with per-project keys, and hands them to pipelines, services and "
        "developers only when policy allows. Every read is recorded in an audit log.",
        "concepts": [
            ("secrets and versions", "A secret is a named value with a history. Writing a "
             "secret creates a new version; readers get the latest version unless they pin "
             "one, which makes rollbacks a single command."),
            ("access policies", "Policies grant read or write access to paths such as "
             "prod/payments/* to users, teams and service identities. Deny rules always win "
             "over allow rules."),
            ("secret rotation", "Rotation replaces a credential on a schedule. Vault calls a "
             "rotation function that creates the new credential at the provider, stores it "
             "as a new version and revokes the old one after a grace period."),
            ("audit log", "The audit log records who read or changed which secret, from which "
             "address and with which token. Entries are immutable and can be exported to "
             "Observe or to your SIEM."),
            ("dynamic credentials", "Dynamic credentials are created on demand, for example a "
             "database user valid for one hour, and expire by themselves, so nothing long-lived "
             "can leak."),
            ("envelope encryption", "Each project has a data key encrypted by a master key held "
             "in a hardware security module. Secrets are encrypted with the data key; rotating "
             "the master key does not require re-encrypting every secret."),
        ],
        "config": [
            ("rotation.schedule", "Cron expression for automatic rotation of a secret."),
            ("rotation.grace_period", "How long the previous version stays valid; default 24h."),
            ("policy.default_ttl", "Lifetime of tokens issued under a policy."),
            ("audit.export", "Destination for audit log export: observe, s3 or syslog."),
            ("kms.key_id", "Customer-managed master key to use instead of the Quillstack key."),
        ],
        "errors": [
            ("QS-2003", "permission denied by policy",
             "The token has no policy that allows this operation on this path. Ask a project "
             "admin to grant access, or check for a deny rule that matches the path."),
            ("QS-2011", "secret version not found",
             "The version you pinned was destroyed or never existed. List versions with quill "
             "secrets versions NAME and pin one that exists."),
            ("QS-2019", "token expired",
             "The access token has passed its time to live. Log in again with quill login, or "
             "renew service tokens before they expire."),
            ("QS-2027", "rotation function failed",
             "The rotation function returned an error, so the old credential stays active. The "
             "error from the provider is in the audit log entry for the rotation."),
        ],
        "endpoints": [
            ("GET", "/v1/secrets/{path}", "Reads the latest or a pinned version of a secret."),
            ("PUT", "/v1/secrets/{path}", "Writes a new version of a secret."),
            ("POST", "/v1/secrets/{path}/rotate", "Rotates a secret now, outside its schedule."),
            ("GET", "/v1/audit", "Lists audit log entries with filters for path, user and time."),
        ],
        "tasks": [
            ("Inject secrets into a pipeline job",
             ["Grant the pipeline's service identity read access to the secret path.",
              "Reference the secret as ${{ vault.prod/db/password }} in quill.yaml.",
              "Vault masks the value in logs; it never appears in plain text."]),
            ("Rotate database passwords automatically",
             ["Create a rotation function for your database provider.",
              "Attach it to the secret and set rotation.schedule, for example every 30 days.",
              "Keep rotation.grace_period long enough for connection pools to reconnect."]),
            ("Give a contractor temporary access",
             ["Create a policy that allows read on the paths the contractor needs.",
              "Issue a token with a short policy.default_ttl such as 8h.",
              "Review the audit log when the engagement ends and revoke remaining tokens."]),
            ("Migrate secrets from environment files",
             ["Run quill secrets import .env --prefix staging/app/ to upload each variable.",
              "Replace the .env file in your deployment with Vault references.",
              "Delete the old file and rotate any secret that was ever committed to git."]),
        ],
    },
    {
        "slug": "observe",
        "name": "Observe",
        "tagline": "metrics, logs and traces in one place",
        "about": "Quillstack Observe collects metrics, logs and distributed traces from your "
        "services, keeps them searchable for 30 days and alerts the right person when "
        "latency, error rates or saturation leave their normal range.",
        "concepts": [
            ("metrics and labels", "A metric is a time series of numbers identified by a name "
             "and labels such as service and region. Every distinct label combination is a new "
             "series, so avoid labels with unbounded values like user ids."),
            ("log search", "Logs are indexed as they arrive. Queries filter by service, level "
             "and time, and match words or exact phrases in the message; structured JSON "
             "fields can be filtered directly."),
            ("distributed tracing", "A trace follows one request through every service it "
             "touches. Spans record timing and metadata, so a slow checkout can be traced to "
             "the one database query that caused it."),
            ("alert rules", "Alert rules evaluate a query every minute and notify when the "
             "condition holds for a given duration. Routing sends pages to the on-call "
             "engineer and everything else to a chat channel."),
            ("service level objectives", "An SLO states the reliability you promise, such as "
             "99.9% of requests under 300 ms. Observe tracks the error budget and alerts on "
             "fast burn rates instead of single spikes."),
            ("dashboards", "Dashboards combine charts, tables and log panels. Variables let one "
             "dashboard serve every environment and region."),
        ],
        "config": [
            ("retention.days", "How long logs and traces are kept; 30 by default, up to 400."),
            ("sampling.rate", "Share of traces kept, between 0 and 1; errors are always kept."),
            ("alert.for", "How long a condition must hold before an alert fires."),
            ("ingest.max_labels", "Upper bound on label combinations per metric."),
            ("routing.on_call", "Schedule that receives pages from critical alerts."),
        ],
        "errors": [
            ("QS-3005", "ingest rate limited",
             "Your project sent more data than its plan allows per second. Data above the limit "
             "is dropped; lower log verbosity or sampling.rate, or upgrade the plan."),
            ("QS-3012", "too many label combinations",
             "A metric exceeded ingest.max_labels, usually because a label holds request ids or "
             "timestamps. Remove the label or move the value into a log field."),
            ("QS-3020", "query timed out",
             "The query scanned more data than it could within 30 seconds. Narrow the time "
             "range, filter by service first, or use a pre-aggregated metric."),
            ("QS-3031", "notification channel unreachable",
             "Observe could not deliver an alert to the configured webhook or chat channel. "
             "Check the URL and credentials in the routing settings."),
        ],
        "endpoints": [
            ("POST", "/v1/metrics", "Ingests metric samples in Prometheus remote-write format."),
            ("POST", "/v1/logs", "Ingests log lines as JSON or plain text."),
            ("GET", "/v1/query", "Runs a metrics or log query over a time range."),
            ("POST", "/v1/alerts/rules", "Creates or updates an alert rule."),
        ],
        "tasks": [
            ("Alert on high error rates",
             ["Create an alert rule on the ratio of 5xx responses to all responses.",
              "Set alert.for to 5m so a single bad minute does not page anyone.",
              "Route the alert to the on-call schedule with routing.on_call."]),
            ("Find the slowest endpoint with traces",
             ["Instrument your services with the OpenTelemetry SDK and the Observe exporter.",
              "Open the trace explorer and sort spans by p99 duration.",
              "Drill into a slow trace to see which downstream call took the time."]),
            ("Ship Kubernetes logs to Observe",
             ["Install the Observe agent as a DaemonSet with the Helm chart.",
              "Set your ingest token as a Kubernetes secret referenced by the chart.",
              "Logs appear within a minute, labelled with namespace, pod and container."]),
            ("Define an SLO for your API",
             ["Choose the indicator, for example requests answered under 300 ms without error.",
              "Set the objective to 99.9% over 30 days.",
              "Add burn-rate alerts at 2% budget in 1 hour and 5% in 6 hours."]),
        ],
    },
    {
        "slug": "edge",
        "name": "Edge",
        "tagline": "a global CDN with functions at the edge",
        "about": "Quillstack Edge serves your static assets and APIs from 90 locations, "
        "caches what can be cached, and runs small JavaScript or WebAssembly functions close "
        "to your users for redirects, authentication and personalisation.",
        "concepts": [
            ("cache rules", "Cache rules decide what is stored at the edge and for how long, "
             "based on path, headers and cookies. Responses with Set-Cookie are never cached "
             "unless a rule says so explicitly."),
            ("purging", "A purge removes content from every location within seconds, by URL, "
             "by prefix or by surrogate key. Tag responses with surrogate keys to purge all "
             "pages that show one product at once."),
            ("edge functions", "Edge functions run on each request before the cache. They can "
             "rewrite URLs, add headers, check a session token or return a response directly, "
             "within a 50 ms CPU budget."),
            ("TLS certificates", "Edge issues and renews certificates for your domains "
             "automatically. Bring your own certificate when your organisation requires a "
             "specific authority."),
            ("origin shielding", "A shield location sits between the edge and your origin so "
             "that a cache miss in 90 locations becomes one request to your servers."),
            ("web application firewall", "The firewall blocks common attacks such as SQL "
             "injection and cross-site scripting, and rate limits abusive clients by address "
             "or token."),
        ],
        "config": [
            ("cache.ttl", "Default time to live for cacheable responses."),
            ("cache.vary", "Request headers that create separate cache entries."),
            ("origin.shield", "Location used as origin shield, for example fra or iad."),
            ("waf.mode", "Firewall mode: off, log or block."),
            ("functions.timeout_ms", "CPU time budget of an edge function; at most 50."),
        ],
        "errors": [
            ("QS-4002", "origin unreachable",
             "The edge could not connect to your origin. Check that the origin accepts "
             "connections from Quillstack addresses and that its certificate is valid."),
            ("QS-4010", "edge function exceeded CPU budget",
             "The function used more than functions.timeout_ms of CPU time. Move heavy work to "
             "the origin or precompute it at build time."),
            ("QS-4018", "certificate validation pending",
             "The domain's DNS does not yet point to Quillstack, so the certificate cannot be "
             "issued. Add the CNAME record shown in the dashboard and wait for propagation."),
            ("QS-4025", "request blocked by firewall",
             "A firewall rule blocked the request. The response carries a request id; look it "
             "up in the firewall log to see which rule matched."),
        ],
        "endpoints": [
            ("POST", "/v1/purge", "Purges content by URL, prefix or surrogate key."),
            ("GET", "/v1/domains", "Lists domains with their certificate status."),
            ("PUT", "/v1/functions/{name}", "Deploys a new version of an edge function."),
            ("GET", "/v1/analytics/edge", "Returns cache hit ratio, bandwidth and status codes."),
        ],
        "tasks": [
            ("Serve a single-page app from the edge",
             ["Upload the build output with quill edge deploy ./dist.",
              "Add a rewrite so that unknown paths return index.html.",
              "Cache hashed assets for a year and index.html for one minute."]),
            ("Purge the cache after a deploy",
             ["Tag responses with a Surrogate-Key header per page type.",
              "Call the purge API from the last stage of your pipeline.",
              "Purge by key instead of everything to keep the hit ratio high."]),
            ("Redirect old URLs with an edge function",
             ["Write a function that looks up the path in a redirect map.",
              "Return a 301 response for matches and pass other requests through.",
              "Deploy it with quill functions deploy redirects.js."]),
            ("Rate limit a login endpoint",
             ["Create a firewall rule for POST requests to /login.",
              "Limit each address to 10 requests per minute.",
              "Start with waf.mode: log to check for false positives before blocking."]),
        ],
    },
    {
        "slug": "database",
        "name": "Database",
        "tagline": "managed PostgreSQL with branching and point-in-time recovery",
        "about": "Quillstack Database runs PostgreSQL for you: backups every day, write-ahead "
        "log archiving for point-in-time recovery, read replicas, connection pooling, and "
        "branches that copy a production database for testing in seconds.",
        "concepts": [
            ("branches", "A branch is a copy-on-write clone of a database. It shares storage "
             "with its parent, so creating one takes seconds whatever the size, and each "
             "pull request can get its own database."),
            ("point-in-time recovery", "Write-ahead logs are archived continuously, so a "
             "database can be restored to any second within the retention window, for "
             "example just before an accidental DELETE."),
            ("read replicas", "Replicas receive changes asynchronously and serve read-only "
             "queries. Replication lag is usually under a second and is shown on the "
             "database overview."),
            ("connection pooling", "The built-in pooler multiplexes thousands of client "
             "connections over a few server connections. Use transaction mode for serverless "
             "functions that open many short connections."),
            ("extensions", "Supported extensions include PostGIS, pgvector, pg_trgm and "
             "pg_stat_statements. Enable them with CREATE EXTENSION as the database owner."),
            ("maintenance windows", "Minor version upgrades and operating system patches are "
             "applied in a weekly maintenance window you choose, with a failover that takes "
             "a few seconds."),
        ],
        "config": [
            ("backup.retention_days", "How long daily backups and WAL archives are kept."),
            ("pooler.mode", "session or transaction pooling."),
            ("replicas.count", "Number of read replicas, from 0 to 5."),
            ("maintenance.window", "Weekly window for upgrades, such as sun 02:00-03:00 UTC."),
            ("storage.autoscale", "Grow storage automatically when it is 90% full."),
        ],
        "errors": [
            ("QS-5004", "too many connections",
             "The database reached its connection limit. Connect through the pooler instead of "
             "directly, or close idle connections in your application."),
            ("QS-5013", "storage full",
             "The database ran out of storage and became read-only. Enable storage.autoscale or "
             "increase the storage size; writes resume within a minute."),
            ("QS-5021", "restore point outside retention",
             "The requested recovery time is older than backup.retention_days. Choose a later "
             "time or a daily backup that still exists."),
            ("QS-5030", "branch limit reached",
             "The project has as many branches as its plan allows. Delete branches of merged "
             "pull requests, or let Pipelines delete them automatically."),
        ],
        "endpoints": [
            ("POST", "/v1/databases/{id}/branches", "Creates a branch from a database or branch."),
            ("POST", "/v1/databases/{id}/restore", "Restores a database to a point in time."),
            ("GET", "/v1/databases/{id}/metrics", "Returns CPU, connections and replication lag."),
            ("DELETE", "/v1/branches/{id}", "Deletes a branch and its storage."),
        ],
        "tasks": [
            ("Create a database branch for every pull request",
             ["Add a step to your pipeline that calls quill db branch create pr-${{ pr.number }}.",
              "Pass the branch connection string to your test job as a secret.",
              "Delete the branch when the pull request is merged or closed."]),
            ("Recover from an accidental delete",
             ["Find the time just before the DELETE in your application logs.",
              "Restore to a new database at that time with quill db restore --time.",
              "Copy the lost rows back, or promote the restored database."]),
            ("Add a read replica for reporting queries",
             ["Set replicas.count to 1 and wait for the replica to catch up.",
              "Point your reporting tool at the replica connection string.",
              "Monitor replication lag in Observe and alert above 10 seconds."]),
            ("Enable pgvector for similarity search",
             ["Connect as the database owner and run CREATE EXTENSION vector.",
              "Add a vector column and an HNSW index to your table.",
              "Query nearest neighbours with ORDER BY embedding <-> $1 LIMIT 10."]),
        ],
    },
    {
        "slug": "queue",
        "name": "Queue",
        "tagline": "durable message queues and event streams",
        "about": "Quillstack Queue delivers messages between services at least once, with "
        "retries, dead-letter queues and ordered streams, so a slow consumer never loses "
        "work and a traffic spike never takes down an API.",
        "concepts": [
            ("queues and topics", "A queue delivers each message to one consumer; a topic "
             "delivers each message to every subscription. Subscriptions are queues of their "
             "own, so every subscriber consumes at its own pace."),
            ("acknowledgements", "A consumer acknowledges a message when it has processed it. "
             "Unacknowledged messages become visible again after the visibility timeout, "
             "which is how crashed consumers are recovered."),
            ("dead-letter queues", "After max_deliveries failed attempts a message moves to the "
             "dead-letter queue, where it can be inspected and replayed once the bug is fixed."),
            ("ordering keys", "Messages with the same ordering key are delivered in the order "
             "they were published, one at a time; different keys are processed in parallel."),
            ("delayed delivery", "A message can be published with a delay of up to 15 days, "
             "for reminders, retries with backoff or scheduled jobs."),
            ("exactly-once processing", "Delivery is at least once. Combine the message id with "
             "an idempotency key in your database to process each message exactly once."),
        ],
        "config": [
            ("visibility_timeout", "Time a delivered message stays invisible; default 30s."),
            ("max_deliveries", "Attempts before a message is dead-lettered; default 5."),
            ("retention", "How long unconsumed messages are kept; up to 14 days."),
            ("ordering.enabled", "Deliver messages with one ordering key in order."),
            ("throughput.max_rate", "Upper bound on deliveries per second to a consumer."),
        ],
        "errors": [
            ("QS-6002", "message too large",
             "Messages are limited to 1 MiB. Store large payloads in object storage and publish "
             "a reference to them instead."),
            ("QS-6009", "acknowledgement deadline expired",
             "The consumer acknowledged after the visibility timeout, so the message may have "
             "been delivered again. Raise visibility_timeout or extend it while processing."),
            ("QS-6016", "queue not found",
             "No queue with this name exists in the project and region. Queue names are case "
             "sensitive and regional."),
            ("QS-6024", "publish throttled",
             "The topic exceeded its publish rate. The client libraries retry with backoff; "
             "sustained throttling means the plan's throughput limit should be raised."),
        ],
        "endpoints": [
            ("POST", "/v1/queues/{name}/messages", "Publishes one or more messages."),
            ("POST", "/v1/queues/{name}/receive", "Receives up to 100 messages for processing."),
            ("POST", "/v1/messages/{id}/ack", "Acknowledges a processed message."),
            ("POST", "/v1/queues/{name}/dead-letter/replay", "Replays dead-lettered messages."),
        ],
        "tasks": [
            ("Process background jobs with retries",
             ["Publish a message per job from your web application.",
              "Run a worker that receives, processes and acknowledges messages.",
              "Set max_deliveries and watch the dead-letter queue for poison messages."]),
            ("Fan out events to several services",
             ["Create a topic for order events.",
              "Add one subscription each for billing, email and analytics.",
              "Each service consumes its subscription independently."]),
            ("Replay messages after fixing a bug",
             ["Inspect a few dead-lettered messages to confirm the cause.",
              "Deploy the fix to your consumer.",
              "Replay the dead-letter queue with quill queue replay orders-dlq."]),
            ("Schedule a reminder email",
             ["Publish the reminder with a delay, for example 72 hours.",
              "The consumer sends the email when the message becomes visible.",
              "Cancel by recording the cancellation and skipping the message on delivery."]),
        ],
    },
    {
        "slug": "identity",
        "name": "Identity",
        "tagline": "sign-in, single sign-on and user management for your apps",
        "about": "Quillstack Identity adds sign-in to your applications: passwords, passkeys, "
        "social login and enterprise single sign-on with SAML and OpenID Connect, with "
        "multi-factor authentication and a user directory your support team can manage.",
        "concepts": [
            ("passkeys", "Passkeys replace passwords with a key pair stored on the user's "
             "device. They cannot be phished or reused, and sign-in takes a fingerprint or a "
             "face scan."),
            ("single sign-on", "Enterprise customers connect their identity provider, such as "
             "Okta or Azure AD, over SAML or OpenID Connect, and their employees sign in with "
             "their work account."),
            ("multi-factor authentication", "MFA asks for a second factor such as a one-time "
             "code from an authenticator app. Policies can require it for admins only or for "
             "sign-ins from new devices."),
            ("sessions and tokens", "After sign-in your app receives a short-lived access token "
             "and a refresh token. Access tokens are JSON Web Tokens you can verify without a "
             "network call."),
            ("organizations", "Organizations group users of one customer, with their own roles, "
             "SSO connection and domain verification, for business-to-business products."),
            ("user migration", "Existing users can be imported with their password hashes in "
             "bcrypt, scrypt or argon2 format, so nobody has to reset a password."),
        ],
        "config": [
            ("session.lifetime", "How long a session lasts without activity; default 14 days."),
            ("mfa.policy", "never, optional, admins or always."),
            ("passwords.min_length", "Minimum password length; default 12."),
            ("tokens.access_ttl", "Lifetime of access tokens; default 15 minutes."),
            ("sso.allowed_domains", "Email domains routed to an organization's SSO."),
        ],
        "errors": [
            ("QS-7001", "invalid redirect URI",
             "The redirect URI in the sign-in request is not registered for the application. "
             "Add the exact URI, including scheme and port, in the application settings."),
            ("QS-7008", "SAML assertion rejected",
             "The identity provider's assertion failed validation, most often because the "
             "certificate changed or the clocks differ by more than five minutes."),
            ("QS-7015", "refresh token reused",
             "A refresh token was used twice, which can indicate theft. The session was revoked "
             "for safety and the user must sign in again."),
            ("QS-7022", "too many sign-in attempts",
             "The account is temporarily locked after repeated failed attempts. It unlocks "
             "after 15 minutes, or an admin can unlock it in the user directory."),
        ],
        "endpoints": [
            ("POST", "/v1/users", "Creates a user, optionally with an imported password hash."),
            ("GET", "/v1/users/{id}", "Returns a user's profile, factors and sessions."),
            ("POST", "/v1/organizations/{id}/sso", "Configures an organization's SSO connection."),
            ("DELETE", "/v1/sessions/{id}", "Revokes a session and its refresh token."),
        ],
        "tasks": [
            ("Add passkey sign-in to a web app",
             ["Enable passkeys in the Identity settings of your application.",
              "Add the sign-in component from the JavaScript SDK to your login page.",
              "Users create a passkey at their next sign-in with a password."]),
            ("Connect Okta for single sign-on",
             ["Create an organization for the customer and verify their email domain.",
              "Create a SAML application in Okta with the values shown in Quillstack.",
              "Upload Okta's metadata file and test the connection with a test user."]),
            ("Require MFA for administrators",
             ["Set mfa.policy to admins.",
              "Administrators are asked to enrol an authenticator app at their next sign-in.",
              "Review enrolment progress in the user directory."]),
            ("Import users from another provider",
             ["Export users with their password hashes from the old provider.",
              "Call the users endpoint with the hash and its algorithm for each user.",
              "Switch the login page once the import has finished."]),
        ],
    },
]

CLI_COMMANDS = [
    ("quill login", "Signs in through the browser and stores a token in ~/.config/quill.",
     "Use --token for non-interactive environments such as CI, where a browser is not available."),
    ("quill init", "Creates quill.yaml for the repository in the current directory.",
     "It detects the language and package manager and proposes build, test and cache steps."),
    ("quill run", "Starts a pipeline run for the current branch and follows its logs.",
     "Press Ctrl-C to stop following; the run continues. Use --wait to exit with the run's status."),
    ("quill logs", "Prints or follows the logs of a run or job.",
     "Filter with --job NAME and --since 10m; --follow streams new lines as they arrive."),
    ("quill deploy", "Deploys the current build to an environment.",
     "Protected environments wait for approval; the command prints the approval link."),
    ("quill secrets get", "Prints the latest or a pinned version of a secret.",
     "Add --version N to pin a version and --json for the value with its metadata."),
    ("quill secrets set", "Writes a new version of a secret from an argument, a file or stdin.",
     "Reading from stdin keeps the value out of your shell history."),
    ("quill secrets import", "Uploads every variable of a .env file as a secret.",
     "Use --prefix to place them under a path and --dry-run to preview the changes."),
    ("quill db branch create", "Creates a copy-on-write branch of a database.",
     "Pass --from to branch from another branch and --ttl to delete it automatically."),
    ("quill db restore", "Restores a database to a point in time as a new database.",
     "The --time flag accepts RFC 3339 timestamps or relative times such as 2h ago."),
    ("quill db psql", "Opens psql connected to a database or branch.",
     "Connections go through the pooler unless --direct is given."),
    ("quill edge deploy", "Uploads a directory of static files to Edge.",
     "Files are uploaded in parallel; unchanged files are skipped by content hash."),
    ("quill edge purge", "Purges cached content by URL, prefix or surrogate key.",
     "Purges reach every location within about five seconds."),
    ("quill functions deploy", "Deploys an edge function from a JavaScript or WebAssembly file.",
     "The previous version keeps serving until the new one is live everywhere."),
    ("quill queue publish", "Publishes a message to a queue or topic.",
     "Read the body from a file with --file and set --delay for delayed delivery."),
    ("quill queue replay", "Moves dead-lettered messages back to their queue.",
     "Use --filter to replay only messages whose attributes match."),
    ("quill observe query", "Runs a metrics or log query from the terminal.",
     "Results print as a table, or as JSON with --json for scripts."),
    ("quill runner install", "Installs the self-hosted runner agent as a system service.",
     "Supported on Debian, Ubuntu, RHEL and macOS; the agent updates itself."),
    ("quill projects switch", "Changes the default project for later commands.",
     "The QUILL_PROJECT environment variable overrides the default for one shell."),
    ("quill completion", "Prints shell completion scripts for bash, zsh and fish.",
     "Source the output from your shell profile to complete commands and flags."),
]

BLOG_POSTS = [
    ("How we cut our own build times by 40% with remote caching", ["pipelines", "engineering"],
     "Our monorepo's builds had crept up to 22 minutes. Content-addressed caching of test "
     "results and dependencies brought the median down to 13, and the p95 from 41 to 19. "
     "This post walks through the cache key design and the mistakes we made on the way, "
     "including a cache key with a timestamp that gave us a hit rate of exactly zero."),
    ("Announcing Pipelines matrix builds", ["pipelines", "announcement"],
     "Matrix builds are generally available today. Declare the dimensions once and "
     "Pipelines runs every combination in parallel, reports failures per combination and "
     "lets experimental combinations fail without blocking a merge."),
    ("Flaky tests are a queueing problem", ["pipelines", "engineering", "testing"],
     "We analysed 1.2 million job runs and found that most flaky failures cluster around "
     "resource contention rather than bad test logic. Retrying on a fresh runner fixed 83% "
     "of them; quarantining the rest made the signal trustworthy again."),
    ("Why we moved secrets out of environment variables", ["vault", "security"],
     "Environment variables leak into crash reports, child processes and debug pages. We "
     "describe how we moved every service to short-lived credentials fetched from Vault at "
     "start-up, and what broke along the way."),
    ("Dynamic database credentials in practice", ["vault", "database", "security"],
     "A database password that lives for one hour cannot be leaked for long. This tutorial "
     "connects Vault's dynamic credentials to Quillstack Database and shows how connection "
     "pools renew them without dropping queries."),
    ("Audit logs your security team will actually read", ["vault", "security", "observe"],
     "Raw audit logs drown reviewers. By exporting Vault's audit log to Observe and alerting "
     "on unusual access patterns, one customer cut review time from days to minutes."),
    ("The four golden signals, five years later", ["observe", "monitoring", "engineering"],
     "Latency, traffic, errors and saturation are still the best place to start. We revisit "
     "each signal with modern tooling and explain where SLOs and burn-rate alerts fit in."),
    ("Tracing a slow checkout across seven services", ["observe", "tracing", "case-study"],
     "An online retailer saw checkout latency double every Friday evening. Distributed "
     "tracing pointed to a currency conversion call with no timeout and no cache. The fix "
     "took ten lines."),
    ("Label cardinality: the silent metrics bill", ["observe", "metrics", "engineering"],
     "One label holding a request id can turn a single metric into millions of series. We "
     "explain how Observe enforces ingest.max_labels and how to find the offending label."),
    ("Edge functions are generally available", ["edge", "announcement"],
     "Run JavaScript and WebAssembly in 90 locations with a 50 ms CPU budget per request. "
     "Early users moved redirects, A/B tests and token checks out of their origins."),
    ("Cache hit ratio from 61% to 94% with surrogate keys", ["edge", "case-study", "performance"],
     "A news site purged its whole cache on every article update. Tagging pages with "
     "surrogate keys let them purge only the pages that changed, and their origin traffic "
     "fell by a factor of six."),
    ("What happens when you purge a CDN", ["edge", "engineering"],
     "A purge has to reach 90 locations in seconds without thundering herds against your "
     "origin. This deep dive covers our purge fan-out, origin shielding and request collapsing."),
    ("Database branching for every pull request", ["database", "pipelines", "tutorial"],
     "Testing migrations against production-sized data used to mean nightly dumps. With "
     "copy-on-write branches every pull request gets its own database in seconds, and the "
     "pipeline deletes it on merge."),
    ("Point-in-time recovery saved our Friday", ["database", "case-study", "reliability"],
     "A migration with a missing WHERE clause deleted 300,000 rows in production. The team "
     "restored to one second before the statement and copied the rows back in 20 minutes."),
    ("Connection pooling for serverless functions", ["database", "performance", "tutorial"],
     "Serverless functions open a connection per invocation and exhaust PostgreSQL quickly. "
     "Transaction-mode pooling lets thousands of functions share a few dozen connections."),
    ("pgvector on Quillstack Database", ["database", "announcement", "ai"],
     "The pgvector extension is now available on every plan. Store embeddings next to your "
     "data and run similarity search with an HNSW index, without a separate vector store."),
    ("At-least-once delivery and how to live with it", ["queue", "engineering"],
     "Exactly-once delivery across a network is impossible, but exactly-once processing is "
     "not. We show the idempotency-key pattern that makes duplicate deliveries harmless."),
    ("Ordered streams without giving up throughput", ["queue", "announcement", "performance"],
     "Ordering keys deliver related messages in order while unrelated keys run in parallel. "
     "Payments teams use one key per account; chat apps one per conversation."),
    ("Dead-letter queues are a feature, not a failure", ["queue", "reliability"],
     "A poison message should not block a queue forever. We explain how max_deliveries, "
     "dead-letter queues and replay turn an outage into a routine fix."),
    ("Passkeys are ready for your users", ["identity", "security", "announcement"],
     "Passkeys now work on every major browser and phone. Quillstack Identity supports them "
     "out of the box, and early adopters saw sign-in success rates rise by 9 points."),
    ("Enterprise SSO without the six-week project", ["identity", "tutorial", "sso"],
     "Connecting a customer's Okta or Azure AD used to need a specialist. With organizations "
     "and guided setup, most SSO connections now go live in under an hour."),
    ("Refresh token rotation explained", ["identity", "security", "engineering"],
     "Why we rotate refresh tokens on every use, how reuse detection catches stolen tokens, "
     "and what that means for mobile apps with flaky connections."),
    ("Introducing the quill CLI 2.0", ["cli", "announcement"],
     "The new CLI starts in 40 ms, completes every command in bash, zsh and fish, and "
     "follows logs of a run from any terminal. It is one static binary for Linux and macOS."),
    ("Our on-call handbook, published", ["engineering", "reliability", "culture"],
     "We publish the handbook our engineers use on call: how alerts are routed, when to "
     "escalate, how we write incident reports and why every page must be actionable."),
    ("Running Quillstack on Quillstack", ["engineering", "culture"],
     "Every Quillstack service is built by Pipelines, configured from Vault, monitored by "
     "Observe and served through Edge. Dogfooding finds bugs before customers do."),
    ("Quillstack is now SOC 2 Type II certified", ["security", "compliance", "announcement"],
     "Our SOC 2 Type II report covers security, availability and confidentiality across all "
     "products. Customers can request it from the trust center."),
    ("A year of incident reports: what we learned", ["reliability", "engineering"],
     "Twelve incidents, three themes: configuration changes without canaries, dependencies "
     "without timeouts and alerts without owners. Here is what we changed for each."),
    ("Data residency in the EU", ["compliance", "announcement", "database"],
     "Projects can now pin all data, including backups, logs and traces, to our Frankfurt "
     "and Dublin regions, to meet GDPR and customer requirements."),
    ("Designing an API that lasts ten years", ["engineering", "api"],
     "Versioned paths, additive changes, explicit pagination and error codes with "
     "documentation pages: the rules behind the Quillstack REST API."),
    ("Free tier for open source projects", ["announcement", "open-source", "pipelines"],
     "Public repositories of open source projects get unlimited Pipelines minutes on medium "
     "runners, 10 GB of cache and free Edge hosting for their documentation."),
    ("Benchmarking hosted runners honestly", ["pipelines", "performance", "engineering"],
     "Build benchmarks are easy to game. We publish our method: cold and warm caches, ten "
     "repetitions, the median and the spread, on real open source repositories."),
    ("Zero-downtime PostgreSQL upgrades", ["database", "reliability", "engineering"],
     "Major version upgrades used to need hours of downtime. Logical replication to a new "
     "cluster and a switchover of a few seconds made them routine."),
    ("Alert fatigue is a design bug", ["observe", "monitoring", "culture"],
     "If an alert does not need a human, it should not page one. We show how to move from "
     "threshold alerts to SLO burn-rate alerts and cut pages by 70%."),
    ("WebAssembly at the edge: a practical guide", ["edge", "tutorial", "webassembly"],
     "Compile Rust or Go to WebAssembly, deploy it as an edge function and stay inside the "
     "CPU budget. Includes an image resizing example."),
    ("Migrating from Jenkins to Pipelines", ["pipelines", "tutorial", "migration"],
     "A step-by-step migration of a 200-job Jenkins installation: mapping stages, moving "
     "credentials to Vault and running both systems in parallel for a week."),
]

FAQ = [
    ("How is Quillstack priced?", ["billing"],
     "Each product has a free tier and usage-based pricing above it. Pipelines is billed per "
     "runner minute, Observe per ingested gigabyte, Edge per request and gigabyte served, and "
     "Database per hour of compute plus storage. The billing page shows the month to date."),
    ("Can I set a spending limit?", ["billing"],
     "Yes. Set a monthly budget in the billing settings; you are notified at 50%, 80% and "
     "100%, and you can choose to pause non-production usage when the budget is reached."),
    ("Which regions are available?", ["regions", "compliance"],
     "Compute and data services run in Frankfurt, Dublin, Virginia, Oregon, Singapore and "
     "Sydney. Edge serves content from 90 locations worldwide."),
    ("How do I delete my account?", ["account", "privacy"],
     "An organization owner can delete the organization in the settings. Data is deleted "
     "within 30 days; backups expire within 35 days."),
    ("Do you support single sign-on for the Quillstack dashboard?", ["account", "sso", "security"],
     "Yes, on the Business and Enterprise plans, with SAML or OpenID Connect, and with SCIM "
     "provisioning for automatic user deprovisioning."),
    ("What is your uptime commitment?", ["reliability", "sla"],
     "The service level agreement promises 99.95% monthly availability for Database, Queue "
     "and Edge, and 99.9% for Pipelines and Observe, with service credits if we miss it."),
    ("How do I contact support?", ["support"],
     "Open a ticket from the dashboard or email support@quillstack.example. Business plans get "
     "a first response within four hours, Enterprise plans within one hour, day and night."),
    ("Can I bring my own cloud account?", ["enterprise", "deployment"],
     "Enterprise customers can run runners, Database and Queue inside their own cloud account "
     "while Quillstack operates them."),
    ("Where can I find your security documentation?", ["security", "compliance"],
     "The trust center holds our SOC 2 report, penetration test summaries, subprocessor list "
     "and data processing agreement."),
    ("How do I rotate my API token?", ["account", "security", "api"],
     "Create a new token in the account settings, update your integrations, then revoke the "
     "old one. Tokens can be scoped to one project and given an expiry date."),
    ("Is there a Terraform provider?", ["api", "terraform", "automation"],
     "Yes, the Quillstack Terraform provider manages projects, environments, secrets policies, "
     "databases, queues and Edge configuration as code."),
    ("Why was my pipeline queued for a long time?", ["pipelines", "troubleshooting"],
     "Jobs wait when your plan's concurrency limit is reached or when no self-hosted runner "
     "with the requested labels is online. The run page shows which one applies."),
    ("Why is my cache always missing?", ["pipelines", "caching", "troubleshooting"],
     "A cache key that changes every run, such as one that includes a date or the commit, "
     "never hits. Key on the lock file's hash instead."),
    ("How do I see who read a secret?", ["vault", "audit"],
     "Open the secret in Vault and choose Audit, or query the audit API filtered by the "
     "secret's path. Every read is recorded with the identity and address."),
    ("Why are my logs missing in Observe?", ["observe", "logs", "troubleshooting"],
     "Check the ingest status page for rate limiting, confirm the agent's token, and verify "
     "that the log level is not filtered out by the agent configuration."),
    ("Can I keep logs longer than 30 days?", ["observe", "retention"],
     "Set retention.days up to 400 per project, or export logs to your own object storage "
     "for archival at lower cost."),
    ("How do I use my own domain with Edge?", ["edge", "domains", "tls"],
     "Add the domain in Edge, create the CNAME record shown, and the certificate is issued "
     "automatically once DNS has propagated."),
    ("Why does my site show an old version after deploying?", ["edge", "caching", "troubleshooting"],
     "The edge still serves cached files. Purge the affected paths after deploying, or use "
     "hashed file names for assets and a short TTL for HTML."),
    ("Which PostgreSQL versions are supported?", ["database", "postgresql"],
     "PostgreSQL 14, 15, 16 and 17. New major versions are available within three months of "
     "their release; minor versions are applied in your maintenance window."),
    ("How do I connect to my database from my laptop?", ["database", "networking"],
     "Use quill db psql, or copy the connection string from the dashboard. Allow your address "
     "in the database's network settings first if IP allow-listing is on."),
    ("What happens to messages if my consumer is down?", ["queue", "reliability"],
     "They stay in the queue for the retention period, up to 14 days, and are delivered when "
     "the consumer is back."),
    ("How do I add social login with GitHub or Google?", ["identity", "oauth"],
     "Enable the provider in Identity, paste the OAuth client id and secret from the provider's "
     "developer console, and the button appears in the sign-in component."),
    ("Can users sign in without a password?", ["identity", "passkeys"],
     "Yes: with passkeys, with email magic links, or with social login. Passwords can be "
     "turned off entirely for an application."),
    ("How do I export my data?", ["account", "data"],
     "Every product has an export: database dumps, secret exports for admins, log exports to "
     "object storage, and the API for everything else."),
    ("Do you offer discounts for startups and nonprofits?", ["billing", "startups"],
     "Startups in partner accelerators receive credits for their first year, and registered "
     "nonprofits get 50% off the Business plan."),
    ("How do I report a security vulnerability?", ["security"],
     "Email security@quillstack.example with details; we acknowledge within one business day "
     "and run a bug bounty for qualifying reports."),
    ("Can I run Pipelines jobs on ARM?", ["pipelines", "runners", "arm"],
     "Yes, hosted ARM64 Linux runners are available in all sizes; set runner.arch: arm64."),
    ("What counts as a request for Edge billing?", ["edge", "billing"],
     "Every HTTP request that reaches an edge location, whether it is served from cache or "
     "forwarded to your origin. Requests blocked by the firewall are not billed."),
    ("How do I invite my team?", ["account", "teams"],
     "Invite members by email from the organization settings and assign a role: owner, "
     "admin, developer or viewer."),
    ("Is there an uptime status page?", ["reliability", "status"],
     "Yes, status.quillstack.example shows the current status of every product and region, "
     "with incident history and email or webhook subscriptions."),
]

INCIDENTS = [
    ("Elevated API latency in Frankfurt", ["observe", "api"],
     "Between 09:12 and 09:47 UTC, API requests in Frankfurt saw p99 latency of up to 4 seconds. "
     "A configuration change reduced the connection pool of the metadata service. We rolled it "
     "back and now deploy pool settings through a canary."),
    ("Pipelines jobs stuck in queued state", ["pipelines", "runners"],
     "For 38 minutes, jobs on medium runners stayed queued because the autoscaler could not "
     "obtain new machines after a quota change at our cloud provider. Jobs on other sizes ran."),
    ("Delayed log ingestion", ["observe", "logs"],
     "Log ingestion lagged by up to 25 minutes after a storage node ran out of disk. No data "
     "was lost. We added disk alerts at 70% and spread partitions across more nodes."),
    ("Edge cache purges delayed", ["edge", "caching"],
     "Purge requests took up to 11 minutes to reach all locations because the purge fan-out "
     "queue was blocked by one unreachable location. Fan-out now skips and retries slow sites."),
    ("Database failover in Virginia", ["database", "reliability"],
     "A hardware failure triggered automatic failover for 112 databases in Virginia. Most "
     "reconnected within 20 seconds; databases with long-running transactions took up to 3 minutes."),
    ("Sign-in errors for SAML connections", ["identity", "sso"],
     "SAML sign-ins failed for 22 minutes after a library update rejected assertions with a "
     "legacy signature algorithm. We reverted and added those providers to our test suite."),
    ("Message delivery delays in Dublin", ["queue", "reliability"],
     "Deliveries were delayed by up to 9 minutes while a broker cluster rebalanced after a "
     "node replacement. No messages were lost; ordering guarantees held."),
    ("Secrets API returned errors", ["vault", "api"],
     "3% of secret reads returned HTTP 503 for 14 minutes after an expired internal "
     "certificate. Certificate expiry is now monitored with 30 days' warning."),
    ("Dashboard unavailable", ["dashboard"],
     "The web dashboard returned errors for 17 minutes after a faulty front-end release. APIs "
     "and the CLI were unaffected. Releases are now rolled out to 5% of users first."),
    ("Build cache unavailable in Oregon", ["pipelines", "caching"],
     "Cache restores failed in Oregon for 41 minutes because of a storage outage; jobs ran "
     "without caches and took longer but succeeded."),
    ("Increased error rates for edge functions", ["edge", "functions"],
     "Edge functions in Singapore and Sydney returned errors for 6% of requests for 19 minutes "
     "after a runtime update. The update was rolled back and re-released with a fix."),
    ("Scheduled maintenance overran", ["database", "maintenance"],
     "Maintenance in Sydney ran 40 minutes past its window because a storage migration was "
     "slower than tested. Databases stayed available, with higher latency during the migration."),
]

# Traffic skew: a page's base popularity by kind, scaled by a heavy-tailed factor.
KIND_WEIGHT = {
    "product": 900, "getting-started": 700, "guide": 160, "concept": 120, "config": 40,
    "cli": 70, "error": 90, "api": 50, "release": 30, "blog": 60, "faq": 110, "incident": 25,
}

START = datetime(2023, 1, 9, tzinfo=timezone.utc)
END = datetime(2026, 11, 1, tzinfo=timezone.utc)


def popularity(kind):
    return int(KIND_WEIGHT[kind] * rng.paretovariate(1.6) * rng.uniform(0.5, 1.0))


def timestamp():
    seconds = rng.uniform(0, (END - START).total_seconds())
    return (START + timedelta(seconds=int(seconds))).strftime("%Y-%m-%dT%H:%M:%SZ")


def slug(text):
    out = "".join(c.lower() if c.isalnum() else "-" for c in text)
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")


def page(doc_id, kind, title, body, path, tags, **extra):
    doc = {"id": doc_id, "title": title, "body": body, "url": SITE + path, "tags": tags,
           "popularity": popularity(kind), "updated_at": timestamp(), "kind": kind}
    doc.update(extra)
    return doc


def product_pages(p):
    name = "Quillstack " + p["name"]
    concepts = ", ".join(c[0] for c in p["concepts"][:-1]) + " and " + p["concepts"][-1][0]
    yield page(f"product-{p['slug']}", "product", f"{name}: {p['tagline']}",
               f"{p['about']} {name} brings together {concepts}. "
               f"{p['concepts'][0][1]} Start for free; you pay only for what you use above the "
               f"free tier.", f"/products/{p['slug']}", [p["slug"], "product"])
    unit = {"pipelines": "runner minute", "vault": "secret per month",
            "observe": "ingested gigabyte", "edge": "million requests",
            "database": "compute hour", "queue": "million messages",
            "identity": "monthly active user"}[p["slug"]]
    yield page(f"pricing-{p['slug']}", "product", f"{name} pricing",
               f"{name} is free up to the limits of the free tier and billed per {unit} above "
               f"it. The Business plan adds higher limits, SSO for the dashboard and support "
               f"within four hours; Enterprise adds a 99.95% SLA, data residency and a named "
               f"account team. Set a monthly budget in the billing settings to be notified "
               f"before you spend more than planned.", f"/pricing/{p['slug']}",
               [p["slug"], "pricing", "billing"])
    first_task = p["tasks"][0]
    steps = " ".join(f"Step {i + 1}: {s}" for i, s in enumerate(first_task[1]))
    yield page(f"docs-{p['slug']}-getting-started", "getting-started",
               f"Getting started with {name}",
               f"This guide takes you from an empty project to a working setup of {name} in "
               f"about ten minutes. {p['about']} First install the quill CLI and sign in with "
               f"quill login. Then enable {p['name']} for your project in the dashboard. A "
               f"common first task is to {first_task[0].lower()}. {steps} From here, read about "
               f"{p['concepts'][0][0]} and {p['concepts'][1][0]}.",
               f"/docs/{p['slug']}/getting-started", [p["slug"], "docs", "getting-started"])


def concept_pages(p):
    name = "Quillstack " + p["name"]
    for i, (concept, text) in enumerate(p["concepts"]):
        key, key_text = p["config"][i % len(p["config"])]
        related = p["concepts"][(i + 1) % len(p["concepts"])][0]
        yield page(f"docs-{p['slug']}-{slug(concept)}", "concept",
                   f"{concept[0].upper() + concept[1:]} in {name}",
                   f"{text} In {name}, the setting {key} is related: {key_text[0].lower()}"
                   f"{key_text[1:]} See also {related}, and the configuration reference for "
                   f"every option.", f"/docs/{p['slug']}/concepts/{slug(concept)}",
                   [p["slug"], "docs", "concepts"])


def config_pages(p):
    name = "Quillstack " + p["name"]
    for key, text in p["config"]:
        yield page(f"ref-{p['slug']}-{slug(key)}", "config", f"{key} ({p['name']} configuration)",
                   f"{key}: {text} Set it in the {p['name']} section of quill.yaml or in the "
                   f"project settings of {name}; the file wins when both are set. Changes apply "
                   f"to new runs, requests or connections, not to those in progress.",
                   f"/docs/{p['slug']}/reference/config#{slug(key)}",
                   [p["slug"], "reference", "configuration"])


def error_pages(p):
    for code, summary, text in p["errors"]:
        yield page(f"error-{code.lower()}", "error", f"Error {code}: {summary}",
                   f"{code} ({summary}) is reported by Quillstack {p['name']}. {text} If the "
                   f"error persists, contact support with the request id from the error "
                   f"response.", f"/docs/errors/{code.lower()}",
                   [p["slug"], "errors", "troubleshooting"])


def api_pages(p):
    for method, path, text in p["endpoints"]:
        yield page(f"api-{p['slug']}-{slug(method + ' ' + path)}", "api", f"{method} {path}",
                   f"{text} Part of the Quillstack {p['name']} REST API. Authenticate with a "
                   f"bearer token in the Authorization header. Responses are JSON; errors carry "
                   f"a code such as {p['errors'][0][0]} and a message. Requests are rate limited "
                   f"to 100 per second per token.", f"/docs/api/{p['slug']}#{slug(method + path)}",
                   [p["slug"], "api", "reference"], method=method)


def guide_pages(p):
    for title, steps in p["tasks"]:
        body = " ".join(f"{i + 1}. {s}" for i, s in enumerate(steps))
        yield page(f"guide-{p['slug']}-{slug(title)}", "guide", title,
                   f"This guide shows how to {title[0].lower() + title[1:]} with Quillstack "
                   f"{p['name']}. {body} Related: {p['concepts'][len(title) % 6][0]}.",
                   f"/docs/{p['slug']}/guides/{slug(title)}", [p["slug"], "docs", "guides"])


def release_pages(p):
    changes = [c[0] for c in p["concepts"]] + [k for k, _ in p["config"]]
    for minor in range(4):
        version = f"{2 + minor // 2}.{(minor * 3) % 5}"
        picks = rng.sample(changes, 3)
        fix = rng.choice(p["errors"])
        yield page(f"release-{p['slug']}-{version}", "release",
                   f"Quillstack {p['name']} {version} release notes",
                   f"Version {version} of {p['name']} improves {picks[0]} and {picks[1]}, and "
                   f"adds options around {picks[2]}. Fixed: a case where {fix[1]} ({fix[0]}) was "
                   f"reported without a request id. Upgrading needs no action; the CLI shows "
                   f"the new options after quill update.",
                   f"/changelog/{p['slug']}/{version}", [p["slug"], "release-notes"],
                   version=version)


def cli_pages():
    for command, what, more in CLI_COMMANDS:
        yield page(f"cli-{slug(command)}", "cli", f"{command} (CLI reference)",
                   f"{command}: {what} {more} Run {command} --help for every flag. The command "
                   f"uses the project set with quill projects switch unless --project is given.",
                   f"/docs/cli/{slug(command)}", ["cli", "reference"])


def blog_pages():
    for title, tags, text in BLOG_POSTS:
        yield page(f"blog-{slug(title)[:60]}", "blog", title,
                   f"{text} Read on for the details, or try it yourself on the free tier.",
                   f"/blog/{slug(title)}", ["blog"] + tags,
                   author=rng.choice(["Maya Okafor", "Jonas Lindqvist", "Priya Raman",
                                      "Tomás Herrera", "Aiko Tanaka", "Sam Whitfield"]))


def faq_pages():
    for question, tags, answer in FAQ:
        yield page(f"faq-{slug(question)[:60]}", "faq", question, answer,
                   f"/support/faq/{slug(question)}", ["faq"] + tags)


def incident_pages():
    for title, tags, text in INCIDENTS:
        yield page(f"incident-{slug(title)}", "incident", f"Incident report: {title}",
                   f"{text} We apologise for the disruption. Affected customers receive service "
                   f"credits automatically under the SLA.", f"/status/incidents/{slug(title)}",
                   ["incident", "status"] + tags)


def main():
    docs = []
    for p in PRODUCTS:
        for make in (product_pages, concept_pages, config_pages, error_pages, api_pages,
                     guide_pages, release_pages):
            docs.extend(make(p))
    for make in (cli_pages, blog_pages, faq_pages, incident_pages):
        docs.extend(make())
    ids = [d["id"] for d in docs]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for doc in docs:
        sys.stdout.write(json.dumps(doc, ensure_ascii=False) + "\n")
    print(f"{len(docs)} documents", file=sys.stderr)


if __name__ == "__main__":
    main()
