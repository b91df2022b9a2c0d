package kfp.store.mybatis;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import kfp.store.api.InvalidArgumentException;
import org.apache.ibatis.executor.statement.StatementHandler;
import org.apache.ibatis.mapping.ParameterMapping;
import org.apache.ibatis.plugin.Interceptor;
import org.apache.ibatis.plugin.Intercepts;
import org.apache.ibatis.plugin.Invocation;
import org.apache.ibatis.plugin.Signature;

/**
 * Refuses every string bound to a statement that holds U+0000 (NUL), as InvalidArgument, on every
 * database. PostgreSQL cannot store that character in text at all (and fails the statement), H2
 * and MySQL store it; refusing it everywhere keeps the answer the same and covers every value a
 * caller can send: stored fields, ids looked up, filter values, page tokens.
 *
 * <p>MyBatis plugin around {@code StatementHandler.parameterize}: the statement's parameters are
 * set through a view of the prepared statement that looks at each string before it goes to the
 * driver. The message names the parameter's property ({@code displayName} → {@code display_name}).
 */
@Intercepts(@Signature(type = StatementHandler.class, method = "parameterize", args = Statement.class))
public final class NulCharacterCheck implements Interceptor {

    @Override
    public Object intercept(Invocation invocation) throws Throwable {
        Object[] args = invocation.getArgs();
        if (args[0] instanceof PreparedStatement ps) {
            List<ParameterMapping> mappings = ((StatementHandler) invocation.getTarget()).getBoundSql().getParameterMappings();
            args[0] = Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(), new Class<?>[] {PreparedStatement.class},
                    (proxy, method, a) -> {
                        if (a != null && a.length >= 2 && a[0] instanceof Integer index && a[1] instanceof String s
                                && s.indexOf('\0') >= 0 && method.getName().startsWith("set")) {
                            throw invalid(mappings, index);
                        }
                        try {
                            return method.invoke(ps, a);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
        return invocation.proceed();
    }

    private static InvalidArgumentException invalid(List<ParameterMapping> mappings, int index) {
        String property = index >= 1 && index <= mappings.size() ? mappings.get(index - 1).getProperty() : "";
        return new InvalidArgumentException(fieldName(property) + " contains the character U+0000 (NUL), which cannot be stored");
    }

    /** {@code r.displayName} → {@code display_name}; generated names (foreach items, rendered filters) → "a value". */
    static String fieldName(String property) {
        String last = property.substring(property.lastIndexOf('.') + 1);
        if (!last.matches("[a-z][A-Za-z]*") || property.startsWith("__frch_")) {
            return "a value";
        }
        return last.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
    }
}
