-- test/upgrade/catalog.sql: every object that belongs to the extension condor, one line
-- per object with all of its properties, by name rather than OID, sorted: the output of
-- two databases is equal exactly when their condor SQL surfaces are.  Used by
-- test/parts/50-upgrade.sh to compare an upgraded database with a fresh install.
WITH ext AS (
	SELECT * FROM pg_extension WHERE extname = 'condor'
), member AS (
	SELECT d.classid, d.objid
	FROM pg_depend d, ext
	WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
), fn AS (
	SELECT p.* FROM pg_proc p JOIN member m ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid
), ty AS (
	SELECT t.* FROM pg_type t JOIN member m ON m.classid = 'pg_type'::regclass AND m.objid = t.oid
), fam AS (
	SELECT f.oid FROM pg_opfamily f JOIN member m ON m.classid = 'pg_opfamily'::regclass AND m.objid = f.oid
	UNION
	SELECT c.opcfamily FROM pg_opclass c JOIN member m ON m.classid = 'pg_opclass'::regclass AND m.objid = c.oid
)
SELECT line FROM (
	SELECT format('extension condor: version %s, relocatable %s, schema %s, configuration tables %s',
				  extversion, extrelocatable, extnamespace::regnamespace,
				  (SELECT string_agg(format('%s (dumped rows: %L)', c::regclass, w), ', ' ORDER BY c::regclass::text)
				   FROM unnest(extconfig, extcondition) u(c, w))) AS line
	FROM ext
	UNION ALL
	-- the rows the extension ships in its configuration tables
	SELECT format('configuration table %s: %s rows, md5 %s', c::regclass,
				  (xpath('//n/text()', query_to_xml(format('SELECT count(*) AS n FROM %s', c::regclass), false, false, '')))[1],
				  md5(query_to_xml(format('SELECT * FROM %s t ORDER BY t::text', c::regclass), true, false, '')::text))
	FROM ext, unnest(extconfig) c
	UNION ALL
	SELECT 'member ' || pg_describe_object(classid, objid, 0) FROM member
	UNION ALL
	SELECT format('function %s: kind %s, returns %s, arguments (%s), language %s, %s, parallel %s, strict %s, '
				  'security definer %s, leakproof %s, cost %s, rows %s, variadic %s, support %s, '
				  'argmodes %s, argnames %s, config %s, source %s, binary %s, sql body %s, owner %s, acl %s',
				  oid::regprocedure, prokind, pg_get_function_result(oid), pg_get_function_arguments(oid),
				  (SELECT lanname FROM pg_language WHERE oid = prolang),
				  CASE provolatile WHEN 'i' THEN 'immutable' WHEN 's' THEN 'stable' ELSE 'volatile' END,
				  proparallel, proisstrict, prosecdef, proleakproof, procost, prorows,
				  provariadic::regtype, prosupport::regprocedure, proargmodes, proargnames, proconfig,
				  prosrc, probin, pg_get_function_sqlbody(oid), proowner::regrole, proacl)
	FROM fn
	UNION ALL
	SELECT format('aggregate %s: kind %s, direct args %s, sfunc %s, stype %s, sspace %s, initcond %s, '
				  'final %s (extra %s, modify %s), combine %s, serial %s, deserial %s, '
				  'moving: sfunc %s, inverse %s, final %s (extra %s, modify %s), stype %s, sspace %s, initcond %s, '
				  'sort operator %s',
				  aggfnoid::regprocedure, aggkind, aggnumdirectargs, aggtransfn::regprocedure,
				  aggtranstype::regtype, aggtransspace, agginitval, aggfinalfn::regprocedure,
				  aggfinalextra, aggfinalmodify, aggcombinefn::regprocedure, aggserialfn::regprocedure,
				  aggdeserialfn::regprocedure, aggmtransfn::regprocedure, aggminvtransfn::regprocedure,
				  aggmfinalfn::regprocedure, aggmfinalextra, aggmfinalmodify, aggmtranstype::regtype,
				  aggmtransspace, aggminitval, aggsortop::regoperator)
	FROM pg_aggregate JOIN fn ON fn.oid = aggfnoid
	UNION ALL
	SELECT format('type %s: schema %s, type %s, category %s, preferred %s, length %s, by value %s, align %s, '
				  'storage %s, delimiter %s, element %s, array %s, input %s, output %s, receive %s, send %s, '
				  'typmod in %s, typmod out %s, analyze %s, subscript %s, not null %s, base %s, typmod %s, '
				  'dims %s, collation %s, default %s, owner %s, acl %s',
				  oid::regtype, typnamespace::regnamespace, typtype, typcategory, typispreferred, typlen,
				  typbyval, typalign, typstorage, typdelim, typelem::regtype, typarray::regtype,
				  typinput::regprocedure, typoutput::regprocedure, typreceive::regprocedure,
				  typsend::regprocedure, typmodin::regprocedure, typmodout::regprocedure,
				  typanalyze::regprocedure, typsubscript::regprocedure, typnotnull, typbasetype::regtype,
				  typtypmod, typndims, typcollation, typdefault, typowner::regrole, typacl)
	FROM ty
	UNION ALL
	-- the attributes of composite types, numbered in order among those not dropped
	SELECT format('type %s attribute %s: %s %s, typmod %s, collation %s, not null %s',
				  ty.oid::regtype, row_number() OVER (PARTITION BY ty.oid ORDER BY a.attnum),
				  a.attname, a.atttypid::regtype, a.atttypmod, a.attcollation, a.attnotnull)
	FROM ty JOIN pg_attribute a ON a.attrelid = ty.typrelid AND a.attnum > 0 AND NOT a.attisdropped
	UNION ALL
	SELECT format('operator %s: kind %s, result %s, code %s, commutator %s, negator %s, restrict %s, '
				  'join %s, merges %s, hashes %s, owner %s',
				  o.oid::regoperator, oprkind, oprresult::regtype, oprcode::regprocedure,
				  oprcom::regoperator, oprnegate::regoperator, oprrest::regprocedure,
				  oprjoin::regprocedure, oprcanmerge, oprcanhash, oprowner::regrole)
	FROM pg_operator o JOIN member m ON m.classid = 'pg_operator'::regclass AND m.objid = o.oid
	UNION ALL
	SELECT format('operator class %s using %s: family %s, input %s, default %s, key type %s',
				  opcname, (SELECT amname FROM pg_am WHERE oid = opcmethod),
				  (SELECT opfname FROM pg_opfamily WHERE oid = opcfamily), opcintype::regtype,
				  opcdefault, opckeytype::regtype)
	FROM pg_opclass c JOIN member m ON m.classid = 'pg_opclass'::regclass AND m.objid = c.oid
	UNION ALL
	SELECT format('operator family %s using %s: operator %s %s (%s, %s) purpose %s sort family %s',
				  f.opfname, (SELECT amname FROM pg_am WHERE oid = f.opfmethod), amopstrategy,
				  amopopr::regoperator, amoplefttype::regtype, amoprighttype::regtype, amoppurpose,
				  amopsortfamily)
	FROM fam JOIN pg_opfamily f ON f.oid = fam.oid JOIN pg_amop ON amopfamily = f.oid
	UNION ALL
	SELECT format('operator family %s using %s: support %s %s (%s, %s)',
				  f.opfname, (SELECT amname FROM pg_am WHERE oid = f.opfmethod), amprocnum,
				  amproc::regprocedure, amproclefttype::regtype, amprocrighttype::regtype)
	FROM fam JOIN pg_opfamily f ON f.oid = fam.oid JOIN pg_amproc ON amprocfamily = f.oid
	UNION ALL
	SELECT format('cast %s: function %s, context %s, method %s',
				  pg_describe_object(m.classid, m.objid, 0), castfunc::regprocedure, castcontext, castmethod)
	FROM pg_cast c JOIN member m ON m.classid = 'pg_cast'::regclass AND m.objid = c.oid
	UNION ALL
	-- tables, views and sequences, should condor ever have one
	SELECT format('relation %s: kind %s, persistence %s, columns %s', c.oid::regclass, relkind, relpersistence,
				  (SELECT string_agg(format('%s %s', attname, format_type(atttypid, atttypmod)), ', ' ORDER BY attnum)
				   FROM pg_attribute WHERE attrelid = c.oid AND attnum > 0 AND NOT attisdropped))
	FROM pg_class c JOIN member m ON m.classid = 'pg_class'::regclass AND m.objid = c.oid
	UNION ALL
	-- comments on the members, on the attributes of their composite types, on the extension
	SELECT format('comment on %s: %s', pg_describe_object(d.classoid, d.objoid, d.objsubid), d.description)
	FROM pg_description d
	WHERE (d.classoid, d.objoid) IN (SELECT classid, objid FROM member)
	   OR (d.classoid = 'pg_class'::regclass AND d.objoid IN (SELECT typrelid FROM ty))
	   OR (d.classoid = 'pg_extension'::regclass AND d.objoid = (SELECT oid FROM ext))
	UNION ALL
	-- initial privileges recorded for the members
	SELECT format('initial privileges on %s: %s %s', pg_describe_object(i.classoid, i.objoid, i.objsubid),
				  i.privtype, i.initprivs)
	FROM pg_init_privs i WHERE (i.classoid, i.objoid) IN (SELECT classid, objid FROM member)
) lines
ORDER BY line COLLATE "C";
