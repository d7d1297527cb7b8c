package io.teledrop.web.rest;

import io.teledrop.config.Settings;
import io.teledrop.drop.DropEvent;
import io.teledrop.web.Json;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The open event streams of drops ({@code GET /api/drops/{slug}/events}): each {@link DropEvent} goes to
 * the streams of its drop, a comment every {@code teledrop.events.heartbeat} (30 s) keeps idle connections
 * (and the proxies between) alive,
 * and streams close when their drop is deleted or expires. Thread-safe.
 */
@ApplicationScoped
public class DropEventStreams {

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    Settings settings;

    /** By drop id, not slug: a stream must never hear a later drop that reuses its slug (it may be protected). */
    private final Map<String, Set<SseEventSink>> sinksByDrop = new ConcurrentHashMap<>();
    private volatile Sse sse;
    private ScheduledFuture<?> heartbeat;

    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        long every = settings.eventsHeartbeat().toMillis();
        heartbeat = scheduler.scheduleAtFixedRate(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        sinksByDrop.values().forEach(sinks -> sinks.forEach(SseEventSink::close));
        sinksByDrop.clear();
    }

    /** Adds a stream for the drop {@code dropId} ({@code slug}) and greets it with a {@code ready} event. */
    void register(String dropId, String slug, SseEventSink sink, Sse sse) {
        this.sse = sse;
        sinksByDrop.computeIfAbsent(dropId, s -> ConcurrentHashMap.newKeySet()).add(sink);
        send(dropId, sink, sse.newEventBuilder().name("ready").mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(String.class, Json.JSONB.toJson(Map.of("slug", slug))).reconnectDelay(5000).build());
    }

    void onDropEvent(@Observes DropEvent event) {
        Set<SseEventSink> sinks = sinksByDrop.get(event.dropId());
        Sse current = sse;
        if (sinks == null || current == null) {
            return;
        }
        OutboundSseEvent outbound = current.newEventBuilder().name(event.type()).id(Long.toString(event.at().toEpochMilli()))
                .mediaType(MediaType.APPLICATION_JSON_TYPE).data(String.class, Json.JSONB.toJson(clientView(event))).build();
        sinks.forEach(sink -> send(event.dropId(), sink, outbound));
        if (event.ends()) {
            Set<SseEventSink> ended = sinksByDrop.remove(event.dropId());
            if (ended != null) {
                ended.forEach(SseEventSink::close);
            }
        }
    }

    /** What a client sees of an event: everything but the drop's internal id. */
    private static Map<String, Object> clientView(DropEvent event) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("slug", event.slug());
        view.put("type", event.type());
        if (event.fileId() != null) {
            view.put("fileId", event.fileId());
            view.put("fileName", event.fileName());
        }
        view.put("at", event.at().toString());
        return view;
    }

    private void heartbeat() {
        Sse current = sse;
        if (current == null) {
            return;
        }
        OutboundSseEvent ping = current.newEventBuilder().comment("heartbeat").build();
        sinksByDrop.forEach((dropId, sinks) -> sinks.forEach(sink -> send(dropId, sink, ping)));
    }

    /** Sends, and forgets a stream whose client went away. */
    private void send(String dropId, SseEventSink sink, OutboundSseEvent event) {
        if (sink.isClosed()) {
            forget(dropId, sink);
            return;
        }
        sink.send(event).whenComplete((done, failure) -> {
            if (failure != null) {
                forget(dropId, sink);
                sink.close();
            }
        });
    }

    private void forget(String dropId, SseEventSink sink) {
        sinksByDrop.computeIfPresent(dropId, (d, sinks) -> {
            sinks.remove(sink);
            return sinks.isEmpty() ? null : sinks;
        });
    }
}
