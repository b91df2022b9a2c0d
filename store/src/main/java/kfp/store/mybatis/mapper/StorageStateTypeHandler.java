package kfp.store.mybatis.mapper;

import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import kfp.store.api.StorageState;
import org.apache.ibatis.type.BaseTypeHandler;
import org.apache.ibatis.type.JdbcType;

/** Writes {@link StorageState} as its v2 name; reads the v1 and legacy names KFP wrote too. */
public final class StorageStateTypeHandler extends BaseTypeHandler<StorageState> {

    @Override
    public void setNonNullParameter(PreparedStatement ps, int i, StorageState s, JdbcType t) throws SQLException {
        ps.setString(i, s.name());
    }

    @Override
    public StorageState getNullableResult(ResultSet rs, String column) throws SQLException {
        return StorageState.fromStored(rs.getString(column));
    }

    @Override
    public StorageState getNullableResult(ResultSet rs, int index) throws SQLException {
        return StorageState.fromStored(rs.getString(index));
    }

    @Override
    public StorageState getNullableResult(CallableStatement cs, int index) throws SQLException {
        return StorageState.fromStored(cs.getString(index));
    }
}
