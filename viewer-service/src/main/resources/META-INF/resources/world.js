// The world dashboard: samples arrive as JSON over /world/live and are pushed into Chart.js charts.
(function () {
  const page = document.querySelector('[data-testid=dashboard]');
  const keep = Number(page.dataset.history) || 120;
  const colours = ['#e4572e', '#4f9bd9', '#5b8c5a', '#f4a259', '#8d6cab', '#3d2c29', '#ff8fa3', '#a7c957'];
  const lineOptions = {
    animation: false, responsive: true, maintainAspectRatio: false,
    interaction: { mode: 'index', intersect: false },
    scales: { y: { beginAtZero: true } },
    elements: { point: { radius: 0 } }
  };

  function line(id, series) {
    return new Chart(document.getElementById(id), {
      type: 'line',
      data: { labels: [], datasets: series.map((s, i) => ({ label: s.label, data: [], borderColor: colours[i], backgroundColor: colours[i], tension: 0.25, spanGaps: true, key: s.key })) },
      options: lineOptions
    });
  }

  const charts = [
    line('chart-pets', [{ label: 'alive', key: 'alive' }, { label: 'dead', key: 'dead' }]),
    line('chart-lifecycle', [{ label: 'births', key: 'birthsPerMinute' }, { label: 'deaths', key: 'deathsPerMinute' }]),
    line('chart-stream', [{ label: 'events/s', key: 'eventsPerSecond' }, { label: 'ticks/s', key: 'ticksPerSecond' }]),
    line('chart-lateness', [{ label: 'latest', key: 'tickLatenessMax' }, { label: 'mean', key: 'tickLatenessMean' }]),
    line('chart-lag', [{ label: 'persistence', key: 'persistenceLag' }, { label: 'this viewer', key: 'viewerLag' }])
  ];
  const owners = new Chart(document.getElementById('chart-owners'), {
    type: 'bar',
    data: { labels: [], datasets: [{ label: 'partitions', data: [], backgroundColor: colours[1] }] },
    options: { animation: false, responsive: true, maintainAspectRatio: false, indexAxis: 'y', scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } }
  });

  const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

  function show(sample) {
    const label = new Date(sample.at).toLocaleTimeString();
    for (const chart of charts) {
      chart.data.labels.push(label);
      for (const set of chart.data.datasets) {
        set.data.push(sample[set.key]);
      }
      if (chart.data.labels.length > keep) {
        chart.data.labels.shift();
        chart.data.datasets.forEach(set => set.data.shift());
      }
      chart.update('none');
    }
    if (sample.owners) {
      owners.data.labels = sample.owners.map(o => o.instance);
      owners.data.datasets[0].data = sample.owners.map(o => o.partitions.length);
      owners.update('none');
      showOwners(sample.owners);
    }
    document.querySelectorAll('[data-figure]').forEach(cell => {
      const value = sample[cell.dataset.figure];
      cell.textContent = value === null || value === undefined ? '–' : number.format(value) + (cell.dataset.unit || '');
    });
    page.querySelector('[data-testid=sampled-at]').textContent = 'Last sample ' + label + '.';
    page.dataset.samples = String(Number(page.dataset.samples) + 1);
  }

  function showOwners(list) {
    const body = page.querySelector('[data-testid=owners] tbody');
    body.replaceChildren();
    if (list.length === 0) {
      const row = body.insertRow();
      const cell = row.insertCell();
      cell.colSpan = 2;
      cell.className = 'empty';
      cell.textContent = 'No simulator instance has joined yet.';
      return;
    }
    for (const owner of list) {
      const row = body.insertRow();
      row.dataset.instance = owner.instance;
      row.insertCell().textContent = owner.instance;
      row.insertCell().textContent = owner.partitions.join(', ') || 'none';
    }
  }

  // a new connection replays the recent samples: start the charts afresh
  function reset() {
    for (const chart of charts) {
      chart.data.labels = [];
      chart.data.datasets.forEach(set => { set.data = []; });
    }
  }

  function connect() {
    const socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/world/live');
    socket.onopen = reset;
    socket.onmessage = event => show(JSON.parse(event.data));
    socket.onclose = () => setTimeout(connect, 2000);
  }
  connect();
})();
