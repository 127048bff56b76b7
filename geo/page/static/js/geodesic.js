// geodesic: the distance between two points on the WGS84 ellipsoid (Vincenty's inverse); a piece of the one casemap script (assets.py)
/* ---------- geodesic distance ----------
 * Measure reads distances along the ellipsoid, not on a sphere or on the screen: Leaflet's distanceTo is a
 * haversine on a sphere of 6,371 km, up to 0.5 % off. The method is T. Vincenty, "Direct and inverse solutions of
 * geodesics on the ellipsoid with application of nested equations", Survey Review 23 (176), 88-93 (1975), the
 * inverse problem, equations (3)-(6) and (13)-(19) there. It converges to well under a millimetre except for nearly
 * antipodal points, where the iteration may not settle; there the distance is the spherical one on the WGS84 mean
 * radius (R1 = (2a + b) / 3), within 0.5 %, and the result says it is approximate. */

var WGS84 = Object.freeze({ a: 6378137, f: 1 / 298.257223563 }); // NIMA TR8350.2 (2000), table 3.1

function wrapRadians(angle) {
  // An angle in (-pi, pi]: Leaflet's longitudes grow past 180 degrees when the map is panned across the antimeridian.
  var turn = 2 * Math.PI, wrapped = ((angle + Math.PI) % turn + turn) % turn - Math.PI;
  return wrapped === -Math.PI ? Math.PI : wrapped;
}

function sphericalMetres(phi1, phi2, dLambda) {
  // The haversine distance on the sphere of the ellipsoid's mean radius: the fallback for nearly antipodal points.
  var a = WGS84.a, b = a * (1 - WGS84.f), radius = (2 * a + b) / 3;
  var h = Math.pow(Math.sin((phi2 - phi1) / 2), 2) + Math.cos(phi1) * Math.cos(phi2) * Math.pow(Math.sin(dLambda / 2), 2);
  return 2 * radius * Math.asin(Math.min(1, Math.sqrt(h)));
}

function geodesicMetres(from, to) {
  // {metres, approximate} between two {lat, lng} points in degrees (Vincenty 1975, inverse; see above).
  var a = WGS84.a, f = WGS84.f, b = a * (1 - f), rad = Math.PI / 180;
  var phi1 = from.lat * rad, phi2 = to.lat * rad, L = wrapRadians((to.lng - from.lng) * rad);
  var U1 = Math.atan((1 - f) * Math.tan(phi1)), U2 = Math.atan((1 - f) * Math.tan(phi2));
  var sinU1 = Math.sin(U1), cosU1 = Math.cos(U1), sinU2 = Math.sin(U2), cosU2 = Math.cos(U2);
  var lambda = L, previous, sinSigma, cosSigma, sigma, cos2Alpha, cos2SigmaM, iterations = 0;
  do {
    var sinLambda = Math.sin(lambda), cosLambda = Math.cos(lambda);
    sinSigma = Math.sqrt(Math.pow(cosU2 * sinLambda, 2) + Math.pow(cosU1 * sinU2 - sinU1 * cosU2 * cosLambda, 2));
    if (sinSigma === 0) { return { metres: 0, approximate: false }; } // the same point
    cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosLambda;
    sigma = Math.atan2(sinSigma, cosSigma);
    var sinAlpha = cosU1 * cosU2 * sinLambda / sinSigma;
    cos2Alpha = 1 - sinAlpha * sinAlpha;
    // On the equator cos2Alpha is 0 and the term is taken as 0 (Vincenty's note to equation 17).
    cos2SigmaM = cos2Alpha !== 0 ? cosSigma - 2 * sinU1 * sinU2 / cos2Alpha : 0;
    var C = f / 16 * cos2Alpha * (4 + f * (4 - 3 * cos2Alpha));
    previous = lambda;
    lambda = L + (1 - C) * f * sinAlpha * (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)));
    iterations++;
  } while (Math.abs(lambda - previous) > 1e-12 && iterations < 200 && Math.abs(lambda) <= Math.PI);
  if (Math.abs(lambda - previous) > 1e-12) { return { metres: sphericalMetres(phi1, phi2, L), approximate: true }; }
  var u2 = cos2Alpha * (a * a - b * b) / (b * b);
  var A = 1 + u2 / 16384 * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
  var B = u2 / 1024 * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
  var deltaSigma = B * sinSigma * (cos2SigmaM + B / 4 * (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM) -
    B / 6 * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * cos2SigmaM * cos2SigmaM)));
  return { metres: b * A * (sigma - deltaSigma), approximate: false };
}
