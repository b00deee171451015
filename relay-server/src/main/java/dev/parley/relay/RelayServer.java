package dev.parley.relay;

import dev.parley.protocol.CloseCodes;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ProtocolJson;
import dev.parley.protocol.ProtocolVersion;
import dev.parley.protocol.ServerMessage;
import dev.parley.relay.account.AccountService;
import dev.parley.relay.account.PasswordHasher;
import dev.parley.relay.account.TokenService;
import dev.parley.relay.call.CallService;
import dev.parley.relay.call.IceServerProvider;
import dev.parley.relay.chat.ChatService;
import dev.parley.relay.chat.ConversationViews;
import dev.parley.relay.chat.Fanout;
import dev.parley.relay.chat.MemberDirectory;
import dev.parley.relay.config.RelayConfig;
import dev.parley.relay.discovery.RelayAnnouncer;
import dev.parley.relay.connection.Broadcaster;
import dev.parley.relay.connection.ConnectionRegistry;
import dev.parley.relay.connection.OutboundFrame;
import dev.parley.relay.presence.PresenceTracker;
import dev.parley.relay.presence.UserDirectory;
import dev.parley.relay.ratelimit.RateLimit;
import dev.parley.relay.ratelimit.RateLimiter;
import dev.parley.relay.storage.sqlite.SqliteAccountStore;
import dev.parley.relay.storage.sqlite.SqliteChatStore;
import dev.parley.relay.storage.sqlite.SqliteDatabase;
import dev.parley.relay.web.RestApi;
import dev.parley.relay.ws.WsGateway;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The composition root: builds every part from the configuration, starts the server, and stops it in order. */
public final class RelayServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RelayServer.class);
    /** How soon a device signed out by the admin's reset-password (another process) loses its live connections. */
    private static final int REVOCATION_CHECK_SECONDS = 5;

    private final RelayConfig config;
    private final SqliteDatabase database;
    private final WsGateway gateway;
    private final Javalin javalin;
    private final ScheduledExecutorService housekeeping;
    private final Runnable stopTimers;
    private final RelayAnnouncer announcer;
    private boolean stopped;

    private RelayServer(RelayConfig config, SqliteDatabase database, WsGateway gateway, Javalin javalin,
                        ScheduledExecutorService housekeeping, Runnable stopTimers, RelayAnnouncer announcer) {
        this.config = config;
        this.database = database;
        this.gateway = gateway;
        this.javalin = javalin;
        this.housekeeping = housekeeping;
        this.stopTimers = stopTimers;
        this.announcer = announcer;
    }

    public static RelayServer start(RelayConfig config) {
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        ProtocolJson json = new ProtocolJson();
        String version = RelayVersion.current();

        SqliteDatabase database = new SqliteDatabase(config.databaseFile(), config.sqliteSynchronous());
        try {
            var accountStore = new SqliteAccountStore(database);
            var chatStore = new SqliteChatStore(database);

            ConnectionRegistry registry = new ConnectionRegistry();
            Broadcaster broadcaster = new Broadcaster(registry, json);
            PresenceTracker presence = new PresenceTracker(chatStore, accountStore, broadcaster, clock);
            UserDirectory users = new UserDirectory(accountStore, presence);
            MemberDirectory members = new MemberDirectory(chatStore);
            ConversationViews views = new ConversationViews(chatStore, users);
            Fanout fanout = new Fanout(broadcaster, members, views, chatStore);
            ChatService chat = new ChatService(chatStore, members, fanout, views, users, clock);

            OutboundFrame revokedFrame = OutboundFrame.encode(json, ServerMessage.Error.of(null,
                    ErrorCode.SESSION_REVOKED, "this device was signed out"));
            AccountService accounts = new AccountService(accountStore,
                    new PasswordHasher(config.argon2MemoryKib(), config.argon2Iterations(), random),
                    new TokenService(JwtSecret.load(config, random), config.accessTokenTtl(), clock),
                    new RateLimiter("sign-in attempts from this address",
                            RateLimit.perMinute(config.authPerAddressPerMinute())),
                    new RateLimiter("sign-in attempts for this account",
                            RateLimit.perMinute(config.loginPerAccountPerMinute())),
                    config.refreshTokenTtl(), clock, random,
                    sessionId -> registry.connectionsOfSession(sessionId).forEach(connection -> {
                        connection.send(revokedFrame);
                        connection.close(CloseCodes.SESSION_REVOKED, "this device was signed out");
                    }));

            ScheduledExecutorService callTimers = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("parley-call-timers").daemon(true).factory());
            CallService calls = new CallService(chatStore, members, fanout, registry, broadcaster, callTimers,
                    config.callRingTime(), clock);
            IceServerProvider iceServers = new IceServerProvider(config.stunUrls(), config.turnUrls(),
                    config.turnSecret(), config.turnCredentialTtl(), clock);

            RateLimiter wsRequests = new RateLimiter("requests on this connection",
                    RateLimit.perSecond(config.wsRequestsPerSecond(), config.wsBurst()));
            WsGateway gateway = new WsGateway(json, accounts, users, chat, presence, calls, iceServers, registry,
                    wsRequests, version,
                    config.pingInterval(), config.idleTimeout(), config.helloTimeout(),
                    config.maxQueuedFrames(), config.maxQueuedBytes(), clock);
            // Each search scans up to 10,000 log rows on a reader connection: enough for a person, not for a loop.
            RateLimiter searches = new RateLimiter("searches", RateLimit.perMinute(config.searchesPerMinute()));
            RestApi rest = new RestApi(json, accounts, accountStore, users, chat, chatStore, registry, searches,
                    iceServers, config.name(), version, clock);

            Javalin javalin = Javalin.create(javalinConfig -> {
                javalinConfig.concurrency.useVirtualThreads = true;
                javalinConfig.startup.showJavalinBanner = false;
                javalinConfig.jsonMapper(new JavalinJackson(json.mapper(), true));
                WsGateway.listen(javalinConfig, config.bind(), config.port());
                rest.install(javalinConfig);
                gateway.install(javalinConfig);
            }).start();

            ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("parley-housekeeping").daemon(true).factory());
            housekeeping.scheduleWithFixedDelay(accounts::evictIdleRateLimits, 1, 1, TimeUnit.MINUTES);
            housekeeping.scheduleWithFixedDelay(searches::evictIdle, 1, 1, TimeUnit.MINUTES);
            housekeeping.scheduleWithFixedDelay(() -> {
                try {
                    accounts.closeSessionsRevokedElsewhere();
                } catch (RuntimeException e) {
                    // A busy or failing database: the next round looks again (its window covers this one).
                    LOG.warn("could not look for sessions signed out elsewhere: {}", e.getMessage());
                }
            }, REVOCATION_CHECK_SECONDS, REVOCATION_CHECK_SECONDS, TimeUnit.SECONDS);
            Runnable stopTimers = callTimers::shutdownNow;
            LOG.info("Parley relay {} listening on {}:{} (data in {})", version, config.bind(), javalin.port(),
                    config.dataDir());
            RelayAnnouncer announcer = config.discovery()
                    ? RelayAnnouncer.start(config.name(), javalin.port(), config.bind(), ProtocolVersion.CURRENT)
                    : null;
            return new RelayServer(config, database, gateway, javalin, housekeeping, stopTimers, announcer);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    public int port() {
        return javalin.port();
    }

    public RelayConfig config() {
        return config;
    }

    /**
     * Graceful stop: refuse new requests, let the writer commit and acknowledge what is queued, close every
     * connection with "going away", then stop the server and close the database.
     */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        gateway.stopAccepting();
        if (announcer != null) {
            announcer.close();
        }
        housekeeping.shutdownNow();
        database.flush(Duration.ofSeconds(10));
        gateway.close();
        stopTimers.run();
        javalin.stop();
        database.close();
        LOG.info("Parley relay stopped");
    }
}
