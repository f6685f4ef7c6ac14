/**
 * The Python program the sandbox starts (`python3 -I -c RUNNER`). It reads the request as JSON
 * on stdin, runs the snippet in a fresh namespace and writes the outcome as JSON on fd 3, apart
 * from the snippet's stdout and stderr. The snippet can write to fd 3 too: that only lets it lie
 * about its own result, so the service parses fd 3 as untrusted, size-capped input.
 */
export const PYTHON_RUNNER = String.raw`
import json, os, resource, signal, sys, types

# Started with -S (no site module: a third faster to start); the system packages by hand.
sys.path.extend(['/usr/lib/python3/dist-packages', '/usr/lib/python3.%d/dist-packages' % sys.version_info[1]])


class _CpuTimeExceeded(BaseException):
    pass


class _NotJson(Exception):
    pass


def _on_xcpu(signum, frame):
    raise _CpuTimeExceeded()


def _peak_bytes():
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) * 1024


def _cpu_ms():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return int((usage.ru_utime + usage.ru_stime) * 1000)


def _jsonable(value, depth=0):
    if depth > 64:
        raise _NotJson()
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float('inf'), float('-inf')) else None
    np = sys.modules.get('numpy')
    if np is not None:
        if isinstance(value, np.generic):
            return _jsonable(value.item(), depth + 1)
        if isinstance(value, np.ndarray):
            if value.nbytes > _MAX_BYTES:
                raise _NotJson()
            return _jsonable(value.tolist(), depth + 1)
    pd = sys.modules.get('pandas')
    if pd is not None:
        if isinstance(value, (pd.DataFrame, pd.Series)):
            if int(value.memory_usage(deep=False).sum() if isinstance(value, pd.DataFrame) else value.memory_usage(deep=False)) > _MAX_BYTES:
                raise _NotJson()
            return json.loads(value.to_json(orient='split', date_format='iso'))
        if isinstance(value, pd.Timestamp):
            return value.isoformat()
    datetime = sys.modules.get('datetime')
    if datetime is not None and isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_jsonable(item, depth + 1) for item in value]
    if isinstance(value, dict):
        converted = {}
        for key, item in value.items():
            if not isinstance(key, (str, int, float, bool)):
                raise _NotJson()
            converted[str(key)] = _jsonable(item, depth + 1)
        return converted
    raise _NotJson()


def _dumps(value):
    return json.dumps(value, allow_nan=False, ensure_ascii=False)


def _collect(namespace, inputs):
    payload = {'result': None, 'variables': {}, 'omitted': []}
    budget = _MAX_BYTES
    if 'result' in namespace:
        try:
            result = _jsonable(namespace['result'])
        except (_NotJson, RecursionError):
            result = repr(namespace['result'])[:1000]
        text = _dumps(result)
        if len(text.encode('utf-8')) > budget:
            return None
        budget -= len(text.encode('utf-8'))
        payload['result'] = result
    for name, value in list(namespace.items()):
        if name.startswith('_') or name == 'result':
            continue
        if isinstance(value, (types.ModuleType, types.FunctionType, types.BuiltinFunctionType, type)) or callable(value):
            continue
        if name in inputs and value is inputs[name]:
            continue
        try:
            converted = _jsonable(value)
            size = len(_dumps(converted).encode('utf-8')) + len(name) + 4
        except (_NotJson, RecursionError, ValueError):
            payload['omitted'].append(name)
            continue
        if size > budget:
            payload['omitted'].append(name)
            continue
        budget -= size
        payload['variables'][name] = converted
    return payload


def _is_memory_failure(error):
    if isinstance(error, MemoryError):
        return True
    text = str(error)
    return isinstance(error, (ImportError, OSError)) and ('failed to map segment' in text or 'Cannot allocate memory' in text)


def _describe(error):
    import linecache, traceback
    linecache.cache['<snippet>'] = (len(_CODE), None, _CODE.splitlines(True), '<snippet>')
    tb = error.__traceback__.tb_next if error.__traceback__ is not None else None
    line = None
    walk = tb
    while walk is not None:
        if walk.tb_frame.f_code.co_filename == '<snippet>':
            line = walk.tb_lineno
        walk = walk.tb_next
    text = ''.join(traceback.format_exception(type(error), error, tb))
    described = {'type': type(error).__name__, 'message': str(error), 'traceback': text[-20000:]}
    if line is not None:
        described['line'] = line
    return described


def main():
    global _MAX_BYTES, _CODE
    channel = os.fdopen(3, 'w', encoding='utf-8')
    os.set_inheritable(3, False)
    request = json.loads(sys.stdin.buffer.read().decode('utf-8'))
    sys.stdin.close()
    sys.stdin = open(os.devnull)
    _MAX_BYTES = int(request['maxResultBytes'])
    code = _CODE = request['code']
    inputs = request['inputs']
    os.umask(0o077)
    signal.signal(signal.SIGXCPU, _on_xcpu)

    def emit(payload):
        payload['peakMemoryBytes'] = _peak_bytes()
        payload['cpuTimeMs'] = _cpu_ms()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        channel.write(_dumps(payload))
        channel.flush()

    try:
        compiled = compile(code, '<snippet>', 'exec', dont_inherit=True)
    except (SyntaxError, ValueError) as error:
        described = {'type': type(error).__name__, 'message': getattr(error, 'msg', None) or str(error)}
        if getattr(error, 'lineno', None) is not None:
            described['line'] = error.lineno
        if getattr(error, 'offset', None) is not None:
            described['column'] = error.offset
        emit({'outcome': 'syntax-error', 'error': described})
        return
    namespace = {'__name__': '__main__', '__builtins__': __builtins__}
    namespace.update(inputs)
    outcome, error = 'success', None
    main_pid = os.getpid()
    try:
        exec(compiled, namespace)
    except SystemExit as exit_:
        if exit_.code not in (None, 0):
            outcome, error = 'runtime-error', {'type': 'SystemExit', 'message': 'exit status %s' % (exit_.code,)}
    except _CpuTimeExceeded:
        outcome, error = 'timeout', {'message': 'The program used more CPU time than its timeout.'}
    except BaseException as caught:
        outcome = 'memory-limit' if _is_memory_failure(caught) else 'runtime-error'
        error = _describe(caught)
    if os.getpid() != main_pid:
        # A process the snippet forked ran off the end of the snippet: only the first reports.
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        os._exit(1 if outcome != 'success' else 0)
    payload = {'outcome': outcome}
    if error is not None:
        payload['error'] = error
    if outcome == 'success':
        collected = _collect(namespace, inputs)
        if collected is None:
            payload = {'outcome': 'output-limit', 'error': {'message': 'The result is larger than %d bytes of JSON.' % _MAX_BYTES}}
        else:
            payload.update(collected)
    emit(payload)


_MAX_BYTES = 0
_CODE = ''
main()
`;
