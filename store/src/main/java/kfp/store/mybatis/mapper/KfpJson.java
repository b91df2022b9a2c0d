package kfp.store.mybatis.mapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import kfp.store.api.RunMetric;
import kfp.store.api.StateChange;
import kfp.store.api.Task;
import org.apache.ibatis.type.BaseTypeHandler;
import org.apache.ibatis.type.JdbcType;

/**
 * The JSON documents KFP keeps in text columns, with KFP's key names (Go
 * field names) so that KFP's own servers can read what we write. Reads are lenient as KFP's are:
 * NULL, '' or unparsable text is an empty list. The nested type handlers are named in the mapper
 * XML ({@code typeHandler=kfp.store.mybatis.mapper.KfpJson$StateHistory}).
 */
public final class KfpJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private KfpJson() {
    }

    /** {@code [{"UpdateTimeInSec":1,"State":"RUNNING"}, …]}; zero time and empty state are omitted. */
    private static String stateHistory(List<StateChange> history) {
        if (history == null) {
            return "null";
        }
        ArrayNode a = JSON.createArrayNode();
        for (StateChange c : history) {
            ObjectNode o = a.addObject();
            if (c.updateTimeInSec() != 0) {
                o.put("UpdateTimeInSec", c.updateTimeInSec());
            }
            if (c.state() != null && !c.state().isEmpty()) {
                o.put("State", c.state());
            }
        }
        return a.toString();
    }

    private static List<StateChange> parseStateHistory(String text) {
        List<StateChange> history = new ArrayList<>();
        for (JsonNode n : array(text)) {
            history.add(new StateChange(n.path("UpdateTimeInSec").asLong(0), n.path("State").asText("")));
        }
        return history;
    }

    private static String stringList(List<String> values) {
        if (values == null || values.isEmpty()) {
            return "null";
        }
        ArrayNode a = JSON.createArrayNode();
        values.forEach(a::add);
        return a.toString();
    }

    private static List<String> parseStringList(String text) {
        List<String> values = new ArrayList<>();
        for (JsonNode n : array(text)) {
            values.add(n.asText());
        }
        return values;
    }

    /** {@code tasks.Payload}: the task as KFP serialises it (its readers parse this, not the columns). */
    private static String taskPayload(Task t) {
        ObjectNode o = JSON.createObjectNode();
        o.put("UUID", t.uuid);
        o.put("Namespace", t.namespace);
        o.put("PipelineName", t.pipelineName);
        o.put("RunID", t.runId);
        o.put("PodName", t.podName);
        o.put("MLMDExecutionID", t.mlmdExecutionId);
        o.put("CreatedTimestamp", t.createdTimestamp);
        o.put("StartedTimestamp", t.startedTimestamp);
        o.put("FinishedTimestamp", t.finishedTimestamp);
        o.put("Fingerprint", t.fingerprint);
        o.put("Name", nullToEmpty(t.name));
        o.put("ParentTaskId", nullToEmpty(t.parentTaskId));
        o.put("State", nullToEmpty(t.state));
        o.put("StateHistoryString", stateHistory(t.stateHistory));
        o.put("MLMDInputs", nullToEmpty(t.mlmdInputs));
        o.put("MLMDOutputs", nullToEmpty(t.mlmdOutputs));
        o.put("ChildrenPodsString", stringList(t.childrenPods));
        o.set("StateHistory", parse(stateHistory(t.stateHistory)));
        o.set("ChildrenPods", parse(stringList(t.childrenPods)));
        o.put("Payload", "");
        return o.toString();
    }

    /** {@code run_metrics.Payload}: the metric as KFP serialises it. */
    private static String metricPayload(RunMetric m) {
        ObjectNode o = JSON.createObjectNode();
        o.put("RunUUID", m.runId);
        o.put("NodeID", m.nodeId);
        o.put("Name", m.name);
        if (m.numberValue == null) {
            o.put("NumberValue", 0.0);
        } else {
            o.put("NumberValue", m.numberValue);
        }
        o.put("Format", nullToEmpty(m.format));
        o.put("Payload", "");
        return o.toString();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Iterable<JsonNode> array(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        try {
            JsonNode n = JSON.readTree(text);
            return n != null && n.isArray() ? n : List.of();
        } catch (JsonProcessingException e) {
            return List.of(); // KFP ignores unparsable history too
        }
    }

    /** Column handler: {@code StateHistory} text ↔ list of state changes. */
    public static final class StateHistory extends TextColumn<List<StateChange>> {
        @Override
        String write(List<StateChange> value) {
            return stateHistory(value);
        }

        @Override
        List<StateChange> read(String text) {
            return parseStateHistory(text);
        }
    }

    /** Column handler: {@code ChildrenPods} text ↔ list of pod names. */
    public static final class StringList extends TextColumn<List<String>> {
        @Override
        String write(List<String> value) {
            return stringList(value);
        }

        @Override
        List<String> read(String text) {
            return parseStringList(text);
        }
    }

    /** Parameter handler: a task written as its {@code Payload} (never read back: tasks are read from their columns). */
    public static final class TaskPayload extends Payload<Task> {
        public TaskPayload() {
            super(KfpJson::taskPayload);
        }
    }

    /** Parameter handler: a metric written as its {@code Payload}. */
    public static final class MetricPayload extends Payload<RunMetric> {
        public MetricPayload() {
            super(KfpJson::metricPayload);
        }
    }

    /** A row written as its KFP payload; the store reads the columns instead. */
    abstract static class Payload<T> extends TextColumn<T> {
        private final java.util.function.Function<T, String> writer;

        Payload(java.util.function.Function<T, String> writer) {
            this.writer = writer;
        }

        @Override
        String write(T value) {
            return writer.apply(value);
        }

        @Override
        T read(String text) {
            throw new UnsupportedOperationException("payloads are written for KFP's readers, never read here");
        }
    }

    /** A value kept as JSON text; SQL NULL reads as the empty value. */
    abstract static class TextColumn<T> extends BaseTypeHandler<T> {
        abstract String write(T value);

        abstract T read(String text);

        @Override
        public void setNonNullParameter(PreparedStatement ps, int i, T value, JdbcType jdbcType) throws SQLException {
            ps.setString(i, write(value));
        }

        @Override
        public T getNullableResult(ResultSet rs, String column) throws SQLException {
            return read(rs.getString(column));
        }

        @Override
        public T getNullableResult(ResultSet rs, int column) throws SQLException {
            return read(rs.getString(column));
        }

        @Override
        public T getNullableResult(CallableStatement cs, int column) throws SQLException {
            return read(cs.getString(column));
        }

        @Override
        public T getResult(ResultSet rs, String column) throws SQLException {
            return read(rs.getString(column)); // NULL too: lenient, as KFP
        }
    }
}
