-- Bad input: a clear error with the right SQLSTATE, naming the argument and value.
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

SELECT q AS query, pg_temp.err(q) AS result FROM unnest(ARRAY[
  $$SELECT bs_price('X', 100, 100, 1, 0.2)$$,
  $$SELECT bs_price('', 100, 100, 1, 0.2)$$,
  $$SELECT bs_price('calls', 100, 100, 1, 0.2)$$,
  $$SELECT bs_price('C', 0, 100, 1, 0.2)$$,
  $$SELECT bs_price('C', -5, 100, 1, 0.2)$$,
  $$SELECT bs_price('C', 'NaN', 100, 1, 0.2)$$,
  $$SELECT bs_price('C', 'Infinity', 100, 1, 0.2)$$,
  $$SELECT bs_price('C', 100, 0, 1, 0.2)$$,
  $$SELECT bs_price('C', 100, -1, 1, 0.2)$$,
  $$SELECT bs_price('C', 100, 100, -0.001, 0.2)$$,
  $$SELECT bs_price('C', 100, 100, 'NaN', 0.2)$$,
  $$SELECT bs_price('C', 100, 100, 'Infinity', 0.2)$$,
  $$SELECT bs_price('C', 100, 100, 1, -0.2)$$,
  $$SELECT bs_price('C', 100, 100, 1, 'NaN')$$,
  $$SELECT bs_price('C', 100, 100, 1, 0.2, r => 'NaN')$$,
  $$SELECT bs_price('C', 100, 100, 1, 0.2, q => '-Infinity')$$,
  $$SELECT bs_greeks('P', 100, 100, -1, 0.2)$$,
  $$SELECT black76_price('C', 0, 20, 1, 0.9)$$,
  $$SELECT black76_greeks('C', 20, -1, 1, 0.9)$$,
  $$SELECT bachelier_price('C', 'NaN', 1, 1, 0.01)$$,
  $$SELECT bachelier_price('C', 1, 1, 1, -0.01)$$,
  $$SELECT bachelier_greeks('P', -1, -2, -1, 0.01)$$,
  $$SELECT bs_greeks('C', 100, 100, 1, 0.2) * 'NaN'::float8$$,
  $$SELECT bs_delta('C', -5, 100, 1, 0.2)$$,
  $$SELECT bs_gamma('call', 100, 'NaN', 1, 0.2)$$,
  $$SELECT bs_vega('X', 100, 100, 1, 0.2)$$,
  $$SELECT bs_theta('P', 100, 100, -1, 0.2)$$,
  $$SELECT bs_rho('C', 100, 100, 1, -0.2)$$,
  $$SELECT bs_phi('C', 100, 100, 1, 0.2, q => 'Infinity')$$,
  $$SELECT bs_vanna('C', 100, 100, 1, 0.2, r => '-Infinity')$$,
  $$SELECT bs_volga('C', 100, 100, 1, 0.2, r => 1e308)$$,
  $$SELECT bs_charm('put', 0, 100, 1, 0.2)$$,
  $$SELECT bs_gamma('C', 1e-320, 1e-320, 1, 0.2)$$,
  $$SELECT bs_delta('C', 1e-320, 1e-320, 1, 0.2)$$,
  $$SELECT expiry_ts('2025-01-17', 'noon')$$,
  $$SELECT year_frac('infinity', 'infinity')$$
]) AS q;

-- Negative forward and strike are valid for Bachelier
SELECT pg_temp.err($$SELECT bachelier_price('C', -1, -2, 1, 0.5)$$) AS bachelier_negative;
